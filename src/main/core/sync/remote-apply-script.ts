/**
 * Runs inside the session (or helper) container with python3, which every analysis image has for
 * Jupyter (started with -S: no site packages to scan, a faster start), as the volume's owner, never
 * as root. It applies one sync's plan to the volume in a single process: snapshots the files to be
 * downloaded (hard links, so later edits cannot tear them), keeps every file it deletes or
 * overwrites in the volume's trash (`.benchtop/trash/<batch>/<kind>/<path>`, outside the synced
 * tree), then renames, deletes and moves staged uploads into place with os.replace (atomic), each
 * only if the file is still what the scan saw.
 *
 * Every path is opened one folder at a time from the volume's root with O_NOFOLLOW and *at() calls
 * (dir_fd): a symlink anywhere in a path (made in the session after the scan, say) stops that one
 * path instead of being followed out of the volume; nothing it creates is a link. Paths that are
 * refused this way are reported as `unsafe`, and the rest of the plan goes on. Each folder is opened
 * once and its descriptor reused for every path in it (a held descriptor keeps naming the folder
 * that was checked, even if a link is put in its place later).
 *
 * Durability: a replaced file's new content is fsynced before the rename over it; every folder whose
 * entries changed is fsynced once at the end, before the report (a deleted file goes to the trash by
 * one rename within the volume, so it is always in one of the two places).
 * Prints a JSON report of each touched path's new size and mtime, and of what it skipped, then the
 * done marker (container-exec.ts) that says it finished.
 *
 * Its stdin: `BTSYNC1\n`, the plan's length (8 bytes, big-endian) and the plan (JSON, with
 * `files`: [size, mode] of each upload, in the order of `moves`), then every upload's bytes one
 * after the other, then `BTEND\n`. Uploads are written into the staging folder first; nothing
 * else is touched unless the whole input, end marker included, arrived.
 */
export const REMOTE_APPLY_SCRIPT = String.raw`
import errno, json, os, stat, sys
root, stage_rel = sys.argv[1], sys.argv[2]
O_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
TRASH = '.benchtop/trash'
done, skipped, unsafe = {}, [], {}
# Folders by their path from the volume's root ('' is the root), each opened once.
dirs = {'': os.open(root, O_DIR)}
# Folders whose entries this run changed: each is fsynced once, at the end.
touched = set()

def checked(rel):
    parts = rel.split('/')
    if any(p in ('', '.', '..') for p in parts) or rel.startswith('/') or '\0' in rel:
        raise PermissionError('unsafe path')
    return parts

def folder(path, create=False):
    # The fd of the folder at path, reached one component at a time without following links.
    fd = dirs.get(path)
    if fd is not None:
        return fd
    head, _, name = path.rpartition('/')
    pfd = folder(head, create)
    try:
        fd = os.open(name, O_DIR, dir_fd=pfd)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(name, 0o755, dir_fd=pfd)
            touched.add(head)
        except FileExistsError:
            pass
        fd = os.open(name, O_DIR, dir_fd=pfd)
    dirs[path] = fd
    return fd

def parent(rel, create=False):
    # (fd of rel's folder, rel's last name); the fd is cached: callers never close it.
    parts = checked(rel)
    return folder('/'.join(parts[:-1]), create), parts[-1]

def folder_of(rel):
    return rel.rpartition('/')[0]

def forget(path):
    # A folder that was removed: its descriptor (and those below it) must not be used again.
    for p in [p for p in dirs if p == path or p.startswith(path + '/')]:
        os.close(dirs.pop(p))

def lst(fd, name):
    try:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return None

def stamp_of(s):
    if s is None:
        return None
    if not stat.S_ISREG(s.st_mode):
        return ['other']
    return [s.st_size, '%d:%d' % (s.st_mtime_ns, s.st_ino)]  # the stamp the scan prints (remote-scan-script.ts)

def matches(fd, name, expect):
    now = stamp_of(lst(fd, name))
    if expect is None:
        return now is None
    return now is not None and now == [expect[0], expect[1]]

inp = sys.stdin.buffer

def read_exact(n):
    data = inp.read(n)
    if len(data) != n:
        raise EOFError('the upload was cut off; nothing was changed')
    return data

if read_exact(8) != b'BTSYNC1\n':
    raise ValueError('not a sync upload')
plan = json.loads(read_exact(int.from_bytes(read_exact(8), 'big')))
batch = plan['batch']
if len(plan['files']) != len(plan['moves']):
    raise ValueError('the upload does not match its plan; nothing was changed')
stagefd = folder('/'.join(checked(stage_rel)), create=True)
os.mkdir('up', 0o700, dir_fd=stagefd)
upfd = os.open('up', O_DIR, dir_fd=stagefd)
# Under the sync helper (remote-agent-script.ts) the input can move straight into the files.
copy_to = getattr(inp, 'copy_to', None)
for i, (size, mode) in enumerate(plan['files']):
    fd = os.open(str(i), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=upfd)
    try:
        if copy_to is not None:
            if copy_to(fd, size) != size:
                raise EOFError('the upload was cut off; nothing was changed')
        else:
            left = size
            while left > 0:
                chunk = memoryview(read_exact(min(left, 1 << 20)))
                left -= len(chunk)
                while chunk:
                    chunk = chunk[os.write(fd, chunk):]
        os.fchmod(fd, mode & 0o777)
    finally:
        os.close(fd)
if read_exact(6) != b'BTEND\n':
    raise ValueError('the upload did not end as announced; nothing was changed')
# The staging folders are not the synced tree: they need not be durable.
touched.clear()

def copy_at(fd, name, dfd, dname):
    # For files this user may read but not hard-link (another user's, with protected_hardlinks):
    # returns the source's stamp when it did not change while being copied, else None.
    src = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
    try:
        before = os.fstat(src)
        dst = os.open(dname, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dfd)
        try:
            while True:
                chunk = os.read(src, 1 << 20)
                if not chunk:
                    break
                os.write(dst, chunk)
        finally:
            os.close(dst)
        after = os.fstat(src)
    finally:
        os.close(src)
    same = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    return stamp_of(after) if same else None

def snapshot(fd, name, dfd, dname):
    # A hard link (instant, and later edits replace the file rather than change this inode), else a copy.
    try:
        os.link(name, dname, src_dir_fd=fd, dst_dir_fd=dfd, follow_symlinks=False)
        return stamp_of(lst(dfd, dname))
    except PermissionError:
        return copy_at(fd, name, dfd, dname)

def trash_path(rel, kind):
    return TRASH + '/' + batch + '/' + kind + '/' + rel

def keep(fd, name, rel, kind):
    # The version about to be replaced, kept in the trash first (a link: the file stays in place
    # meanwhile): a crash after this leaves a spare copy, never none.
    path = trash_path(rel, kind)
    tfd, tname = parent(path, create=True)
    try:
        snapshot(fd, name, tfd, tname)
        touched.add(folder_of(path))
    except FileExistsError:
        pass

def discard(fd, name, rel):
    # A deleted file moves into the trash in one rename within the volume: at every moment it is
    # either in place or kept. Where that cannot be (the trash on another file system), link then unlink.
    path = trash_path(rel, 'deleted')
    tfd, tname = parent(path, create=True)
    if lst(tfd, tname) is not None:
        return False  # a version already kept under this name is never overwritten
    try:
        os.rename(name, tname, src_dir_fd=fd, dst_dir_fd=tfd)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        keep(fd, name, rel, 'deleted')
        os.unlink(name, dir_fd=fd)
    touched.add(folder_of(path))
    return True

def guarded(rel, work):
    try:
        return work()
    except FileNotFoundError:
        pass  # gone since the scan (or its folder is): the next sync sees what is there now
    except NotADirectoryError:
        unsafe[rel] = 'a folder in its path is a link or a file'  # O_DIRECTORY|O_NOFOLLOW on a link
    except (PermissionError, IsADirectoryError) as e:
        unsafe[rel] = e.strerror or str(e)
    except OSError as e:
        if e.errno == errno.ELOOP:  # a link where a folder was expected
            unsafe[rel] = 'a folder in its path is a link or a file'
        else:
            raise
    skipped.append(rel)

linked = []
if plan['links']:
    try:
        os.mkdir('down', 0o700, dir_fd=stagefd)
    except FileExistsError:
        pass
    downfd = os.open('down', O_DIR, dir_fd=stagefd)
for i, rel in enumerate(plan['links']):
    def link_one():
        fd, name = parent(rel)
        s = lst(fd, name)
        if s is None or not stat.S_ISREG(s.st_mode):
            skipped.append(rel)
            linked.append(None)
            return
        linked.append(snapshot(fd, name, downfd, str(i)))
    before = len(linked)
    guarded(rel, link_one)
    if len(linked) == before:
        linked.append(None)

renamed = set()
for src, dst, expect in plan['renames']:
    def rename_one():
        sfd, sname = parent(src)
        dfd, dname = parent(dst, create=True)
        if matches(sfd, sname, expect) and lst(dfd, dname) is None:
            os.rename(sname, dname, src_dir_fd=sfd, dst_dir_fd=dfd)
            touched.update((folder_of(src), folder_of(dst)))
            done[dst] = stamp_of(lst(dfd, dname))
            renamed.add(src)
        else:
            skipped.append(src)
    guarded(src, rename_one)

for rel, expect in plan['deletes']:
    def delete_one():
        fd, name = parent(rel)
        if matches(fd, name, expect) and discard(fd, name, rel):
            touched.add(folder_of(rel))
            done[rel] = None
        else:
            skipped.append(rel)
    guarded(rel, delete_one)

for rel in plan['rmdirs']:
    def rmdir_one():
        try:
            fd, name = parent(rel)
        except FileNotFoundError:
            done[rel] = None
            return
        try:
            os.rmdir(name, dir_fd=fd)
            forget(rel)
            touched.add(folder_of(rel))
            done[rel] = None
        except FileNotFoundError:
            done[rel] = None
        except OSError:
            pass  # not empty (something new inside) or not a folder: it stays
    guarded(rel, rmdir_one)

for rel in plan['mkdirs']:
    def mkdir_one():
        folder('/'.join(checked(rel)), create=True)
        done[rel] = 'dir'
    guarded(rel, mkdir_one)

for i, (rel, expect, conflict) in enumerate(plan['moves']):
    upname = str(i)
    def move_one():
        fd, name = parent(rel, create=True)
        if conflict and rel not in renamed:
            skipped.append(rel)
            return
        if not conflict and not matches(fd, name, expect):
            skipped.append(rel)
            return
        current = lst(fd, name)
        if current is not None:
            if not stat.S_ISREG(current.st_mode):
                skipped.append(rel)
                return
            keep(fd, name, rel, 'replaced')
            # Replacing a file: its new content must be on disk before the rename, or a crash
            # could leave neither version. A new file only ever copies something the other side still has.
            sf = os.open(upname, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=upfd)
            try:
                os.fsync(sf)
            finally:
                os.close(sf)
        os.replace(upname, name, src_dir_fd=upfd, dst_dir_fd=fd)
        touched.add(folder_of(rel))
        done[rel] = stamp_of(lst(fd, name))
    guarded(rel, move_one)

# Versions kept longer than the plan says go (the batch's name carries its time).
try:
    tfd = folder(TRASH)
    old = [b for b in os.listdir(tfd) if b.split('-')[0].isdigit() and plan['now'] - int(b.split('-')[0]) > plan['keepMs']]
    if old:
        import shutil
        for b in old:
            shutil.rmtree(b, dir_fd=tfd)
except OSError:
    pass  # no trash yet, or it is not a real folder: nothing to expire

# Every folder whose entries changed, made durable once: after this report, the client's base
# records these files as being here.
for path in touched:
    fd = dirs.get(path)
    if fd is not None:
        os.fsync(fd)

# Only the download snapshots must outlive this run (until they are fetched).
import shutil
try:
    shutil.rmtree('up', dir_fd=stagefd)
except FileNotFoundError:
    pass
if not plan['links']:
    shutil.rmtree(stage_rel.rpartition('/')[2], dir_fd=folder(folder_of(stage_rel)))
sys.stdout.write(json.dumps({'done': done, 'skipped': skipped, 'linked': linked, 'unsafe': unsafe}) + '\0bt-done')
`;
