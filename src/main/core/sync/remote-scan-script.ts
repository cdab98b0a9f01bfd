/**
 * Lists the notebooks volume in one python3 run (as root, which reads everything and writes
 * nothing but the cleanup), and hashes small files that changed since the last sync in the same
 * run, so a session's edits cost no second command to learn their content.
 *
 * First it removes leftover staging folders of interrupted syncs (the caller holds the sync lock for
 * this project and target, so every staging folder present now is stale). Its stdin is JSON:
 * `{ "rel": [[size, "mtime_ns:inode"], …] }`, the stamps whose content the caller already knows; a regular
 * file up to argv[2] bytes whose stamp is not among them is hashed, and its hash kept only if the
 * file did not change while it was read. Links and special files are listed by no one: neither
 * followed nor synced. Names are passed through as bytes, as `find` would print them.
 *
 * Output: `uid gid\0` of the volume's root, then per folder or regular file
 * `y size stamp mode_octal sha256|- path\0` (a file's stamp is `mtime_ns:inode`, a folder's its
 * mtime_ns), then the done marker (container-exec.ts).
 * Skipped like Jupyter's and Benchtop's own: `.ipynb_checkpoints` and `.benchtop-sync` anywhere,
 * half-written `*.benchtop-tmp-*` files, and the trash (`.benchtop/trash`).
 */
export const REMOTE_SCAN_SCRIPT = String.raw`
import hashlib, json, os, stat, sys
root, limit = os.fsencode(sys.argv[1]), int(sys.argv[2])
known = json.loads(sys.stdin.buffer.read() or b'{}')
stale = os.path.join(root, b'.benchtop-sync')
if os.path.islink(stale) or os.path.isfile(stale):
    os.unlink(stale)
elif os.path.isdir(stale):
    import shutil
    shutil.rmtree(stale)
out = []
top = os.stat(root)
out.append(b'%d %d\0' % (top.st_uid, top.st_gid))

def digest(path, st):
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        h = hashlib.sha256()
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            h.update(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns, after.st_ino) != (st.st_size, st.st_mtime_ns, st.st_ino):
        return b'-'
    return h.hexdigest().encode()

def walk(path, prefix):
    with os.scandir(path) as it:
        entries = list(it)
    for e in entries:
        name = e.name
        rel = prefix + name
        if name in (b'.ipynb_checkpoints', b'.benchtop-sync') or b'.benchtop-tmp-' in name or rel == b'.benchtop/trash':
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(st.st_mode):
            out.append(b'd 0 %d %o - %s\0' % (st.st_mtime_ns, stat.S_IMODE(st.st_mode), rel))
            walk(e.path, rel + b'/')
        elif stat.S_ISREG(st.st_mode):
            sha = b'-'
            # The inode is part of the stamp: a file renamed over another of the same size and mtime
            # (both written in one tick of a coarse clock) is still seen as changed.
            mark = b'%d:%d' % (st.st_mtime_ns, st.st_ino)
            if 0 < st.st_size <= limit:
                stamps = known.get(rel.decode('utf-8', 'surrogateescape'), ())
                if [st.st_size, mark.decode()] not in stamps:
                    try:
                        sha = digest(e.path, st)
                    except OSError:
                        pass  # gone or unreadable now: the caller hashes it later if it needs to
            out.append(b'f %d %s %o %s %s\0' % (st.st_size, mark, stat.S_IMODE(st.st_mode), sha, rel))

walk(root, b'')
out.append(b'\0bt-done')
sys.stdout.buffer.write(b''.join(out))
`;
