/**
 * Runs inside the session (or helper) container with python3, which every analysis image has for
 * Jupyter (started with -S: no site packages to scan, a faster start). It applies one sync's plan
 * to the volume in a single process: snapshots the files to be downloaded (hard links, so later
 * edits cannot tear them), then renames, deletes and moves staged uploads into place with
 * os.replace (atomic), each only if the file is still what the scan saw.
 * Prints a JSON report of each touched path's new size and mtime, and of what it skipped.
 */
export const REMOTE_APPLY_SCRIPT = String.raw`
import json, os, shutil, sys
root, stage = sys.argv[1], sys.argv[2]
plan = json.load(open(os.path.join(stage, 'plan.json'), encoding='utf-8'))
uid, gid = plan.get('owner') or (None, None)
done, skipped = {}, []

def full(rel):
    return os.path.join(root, rel)

def stamp(path):
    try:
        s = os.lstat(path)
    except FileNotFoundError:
        return None
    return [s.st_size, str(s.st_mtime_ns)]

def matches(rel, expect):
    now = stamp(full(rel))
    if expect is None:
        return now is None and not os.path.lexists(full(rel))
    return now is not None and now[0] == expect[0] and now[1] == expect[1]

def makedirs(path):
    missing = []
    while path and not os.path.isdir(path):
        missing.append(path)
        path = os.path.dirname(path)
    for d in reversed(missing):
        os.mkdir(d, 0o755)
        if uid is not None:
            os.chown(d, uid, gid)

down = os.path.join(stage, 'down')
os.makedirs(down, exist_ok=True)
linked = []
for i, rel in enumerate(plan['links']):
    try:
        os.link(full(rel), os.path.join(down, str(i)))
        linked.append(stamp(os.path.join(down, str(i))))
    except FileNotFoundError:
        skipped.append(rel)
        linked.append(None)
renamed = set()
for src, dst, expect in plan['renames']:
    if matches(src, expect) and not os.path.lexists(full(dst)):
        os.rename(full(src), full(dst))
        done[dst] = stamp(full(dst))
        renamed.add(src)
    else:
        skipped.append(src)
for rel, expect in plan['deletes']:
    if matches(rel, expect):
        os.unlink(full(rel))
        done[rel] = None
    else:
        skipped.append(rel)
for rel in plan['rmdirs']:
    try:
        os.rmdir(full(rel))
        done[rel] = None
    except FileNotFoundError:
        done[rel] = None
    except OSError:
        pass
for rel in plan['mkdirs']:
    makedirs(full(rel))
    done[rel] = 'dir'
up = os.path.join(stage, 'up')
for rel, expect, conflict in plan['moves']:
    staged = os.path.join(up, rel)
    if conflict and rel not in renamed:
        skipped.append(rel)
        continue
    if not conflict and not matches(rel, expect):
        skipped.append(rel)
        continue
    if expect is not None or conflict:
        # Replacing a file: its new content must be on disk before the rename, or a crash could
        # leave neither version. A new file only ever copies something the other side still has.
        fd = os.open(staged, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    makedirs(os.path.dirname(full(rel)))
    os.replace(staged, full(rel))
    done[rel] = stamp(full(rel))
# Only the download snapshots must outlive this run (until they are fetched).
shutil.rmtree(up, ignore_errors=True)
os.unlink(os.path.join(stage, 'plan.json'))
if not plan['links']:
    shutil.rmtree(stage, ignore_errors=True)
json.dump({'done': done, 'skipped': skipped, 'linked': linked}, sys.stdout)
`;
