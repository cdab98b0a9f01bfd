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
 * refused this way are reported as `unsafe`, and the rest of the plan goes on.
 * Prints a JSON report of each touched path's new size and mtime, and of what it skipped.
 */
export const REMOTE_APPLY_SCRIPT = String.raw`
import json, os, shutil, stat, sys, time
root, stage_rel = sys.argv[1], sys.argv[2]
O_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
rootfd = os.open(root, O_DIR)
done, skipped, unsafe = {}, [], {}

def parent(rel, create=False):
    # The fd of rel's folder, reached one component at a time without following links.
    parts = rel.split('/')
    if any(p in ('', '.', '..') for p in parts) or rel.startswith('/') or '\0' in rel:
        raise PermissionError('unsafe path')
    fd = os.dup(rootfd)
    try:
        for name in parts[:-1]:
            try:
                nfd = os.open(name, O_DIR, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(name, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
                nfd = os.open(name, O_DIR, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd, parts[-1]

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
    return [s.st_size, str(s.st_mtime_ns)]

def matches(fd, name, expect):
    now = stamp_of(lst(fd, name))
    if expect is None:
        return now is None
    return now is not None and now == [expect[0], expect[1]]

stagefd, _ = parent(stage_rel + '/x')
with os.fdopen(os.open('plan.json', os.O_RDONLY | os.O_NOFOLLOW, dir_fd=stagefd), encoding='utf-8') as f:
    plan = json.load(f)
batch = plan['batch']

def stage_parent(rel):
    parts = rel.split('/')
    fd = os.dup(stagefd)
    try:
        for name in parts[:-1]:
            nfd = os.open(name, O_DIR, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd, parts[-1]

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

def keep(fd, name, rel, kind):
    # The version about to go, kept in the trash first: a crash after this leaves a spare copy, never none.
    tfd, tname = parent('.benchtop/trash/' + batch + '/' + kind + '/' + rel, create=True)
    try:
        snapshot(fd, name, tfd, tname)
    except FileExistsError:
        pass
    finally:
        os.close(tfd)

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
        if e.errno == 40:  # ELOOP: a link where a folder was expected
            unsafe[rel] = 'a folder in its path is a link or a file'
        else:
            raise
    skipped.append(rel)

try:
    os.mkdir('down', 0o700, dir_fd=stagefd)
except FileExistsError:
    pass
downfd = os.open('down', O_DIR, dir_fd=stagefd)
linked = []
for i, rel in enumerate(plan['links']):
    def link_one():
        fd, name = parent(rel)
        try:
            s = lst(fd, name)
            if s is None or not stat.S_ISREG(s.st_mode):
                skipped.append(rel)
                linked.append(None)
                return
            linked.append(snapshot(fd, name, downfd, str(i)))
        finally:
            os.close(fd)
    before = len(linked)
    guarded(rel, link_one)
    if len(linked) == before:
        linked.append(None)

renamed = set()
for src, dst, expect in plan['renames']:
    def rename_one():
        sfd, sname = parent(src)
        dfd, dname = parent(dst, create=True)
        try:
            if matches(sfd, sname, expect) and lst(dfd, dname) is None:
                os.rename(sname, dname, src_dir_fd=sfd, dst_dir_fd=dfd)
                done[dst] = stamp_of(lst(dfd, dname))
                renamed.add(src)
            else:
                skipped.append(src)
        finally:
            os.close(sfd)
            os.close(dfd)
    guarded(src, rename_one)

for rel, expect in plan['deletes']:
    def delete_one():
        fd, name = parent(rel)
        try:
            if matches(fd, name, expect):
                keep(fd, name, rel, 'deleted')
                os.unlink(name, dir_fd=fd)
                done[rel] = None
            else:
                skipped.append(rel)
        finally:
            os.close(fd)
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
            done[rel] = None
        except FileNotFoundError:
            done[rel] = None
        except OSError:
            pass  # not empty (something new inside) or not a folder: it stays
        finally:
            os.close(fd)
    guarded(rel, rmdir_one)

for rel in plan['mkdirs']:
    def mkdir_one():
        fd, _ = parent(rel + '/x', create=True)
        os.close(fd)
        done[rel] = 'dir'
    guarded(rel, mkdir_one)

for rel, expect, conflict in plan['moves']:
    def move_one():
        upfd, upname = stage_parent('up/' + rel)
        fd, name = parent(rel, create=True)
        try:
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
                os.fsync(sf)
                os.close(sf)
            os.replace(upname, name, src_dir_fd=upfd, dst_dir_fd=fd)
            done[rel] = stamp_of(lst(fd, name))
        finally:
            os.close(fd)
            os.close(upfd)
    guarded(rel, move_one)

# Versions kept longer than the plan says go (the batch's name carries its time).
try:
    tfd, _ = parent('.benchtop/trash/x')
    try:
        for b in os.listdir(tfd):
            head = b.split('-')[0]
            if head.isdigit() and plan['now'] - int(head) > plan['keepMs']:
                shutil.rmtree(b, dir_fd=tfd)
    finally:
        os.close(tfd)
except (FileNotFoundError, NotADirectoryError, PermissionError, OSError):
    pass  # no trash yet, or it is not a real folder: nothing to expire

# Only the download snapshots must outlive this run (until they are fetched).
try:
    shutil.rmtree('up', dir_fd=stagefd)
except FileNotFoundError:
    pass
os.unlink('plan.json', dir_fd=stagefd)
if not plan['links']:
    sfd, sname = parent(stage_rel)
    try:
        shutil.rmtree(sname, dir_fd=sfd)
    finally:
        os.close(sfd)
json.dump({'done': done, 'skipped': skipped, 'linked': linked, 'unsafe': unsafe}, sys.stdout)
`;
