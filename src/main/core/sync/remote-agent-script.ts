/**
 * The sync's helper process inside the session (or helper) container: one `python3 -S -c` exec that
 * stays open for the session and runs the sync's scripts (remote-scan-script.ts,
 * remote-apply-script.ts, and REMOTE_HASH_SCRIPT below) on request, so a sync costs no exec, no
 * engine request and no python start: a no-change sync is one request and one answer on a stream
 * that is already open. sync-agent.ts is its other end.
 *
 * Each script runs exactly as it would as a command of its own: argv as given, its stdin the
 * request's input, its stdout the answer. It keeps no state between requests (the folders and
 * files a script opened are closed after it), so every request is judged on what the volume holds
 * then, as before. It runs as one user for its whole life: root for the listing (which writes
 * nothing but the removal of stale staging folders), the volume's owner for everything that writes;
 * the root one runs the owner's requests in a child that has become the owner (`as`, below).
 *
 * Its stdin, per request: `BTREQ\n`, a 4-byte big-endian length and that much JSON
 * (`{"run": "scan"|"apply"|"hash", "argv": [...]}`), then the script's input as pieces (a 4-byte
 * length, that many bytes), ended by an empty piece. A script that stops reading early has the rest
 * of its input skipped; one reading past the end gets an end of file.
 * Its stdout, per request: `0` (done) or `1` (failed), an 8-byte big-endian length, that many bytes:
 * the script's output, or what failed. After a failure the process exits: the next request starts a
 * fresh one. A done answer is `S` instead of `0` when the helper runs as root with the capabilities to
 * change user: a request may then say `"as": [uid, gid]`, and runs in a forked child that becomes
 * that user (never root) before it reads its input, so the listing (as root) and the steps that write
 * (as the volume's owner) share one exec and one python start. Elsewhere `as` is ignored (a folder
 * host's helper already runs as the account that owns the folder). An end of its stdin (the client went away, the connection dropped) ends it at once; a
 * script reading input then stops as if cut off (the apply step then changes nothing).
 *
 * argv[1..3] are the scan, apply and hash scripts' sources.
 */
export const REMOTE_AGENT_SCRIPT = String.raw`
import errno, json, os, sys, traceback
can_splice = hasattr(os, 'splice')
sources = dict(zip(('scan', 'apply', 'hash'), sys.argv[1:4]))
scripts = {}
del sys.argv[1:]

def script(name):
    # Compiled on first use: a helper that only lists never compiles the apply step.
    if name not in scripts:
        scripts[name] = compile(sources[name], '<bt-' + name + '>', 'exec')
    return scripts[name]

def can_become():
    # Root with CAP_SETUID and CAP_SETGID: a request may then run as another user, in a child that
    # becomes that user before it reads anything.
    if os.getuid() != 0 or not hasattr(os, 'fork'):
        return False
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('CapEff:'):
                    caps = int(line.split()[1], 16)
                    return caps & (1 << 6) != 0 and caps & (1 << 7) != 0
    except (OSError, ValueError):
        pass
    return False

BECOME = can_become()
# "Done", and whether this helper can run requests as another user ('S') or not ('0').
DONE = b'S' if BECOME else b'0'

class Gone(BaseException):
    pass  # stdin ended: nobody is listening any more

def read_fd(n):
    parts = []
    while n > 0:
        data = os.read(0, min(n, 1 << 20))
        if not data:
            raise Gone()
        parts.append(data)
        n -= len(data)
    return b''.join(parts)

def write_fd(data):
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]

class Input:
    # The request's input pieces, read as one stream that ends at the empty piece.
    def __init__(self):
        self.left, self.ended = 0, False
    def read(self, n=-1):
        out = []
        while n != 0 and not self.ended:
            if self.left == 0:
                self.left = int.from_bytes(read_fd(4), 'big')
                if self.left == 0:
                    self.ended = True
                    break
            take = self.left if n < 0 else min(n, self.left)
            data = read_fd(take)
            self.left -= take
            out.append(data)
            if n > 0:
                n -= take
        return b''.join(out)
    def drain(self):
        while not self.ended:
            self.read(1 << 20)
    def copy_to(self, fd, n):
        # Moves the next n bytes of input into the file fd, by splice (no copy through this process)
        # where stdin is a pipe, else read and write. Returns n, or less when the input ended first.
        global can_splice
        want = n
        while n > 0 and not self.ended:
            if self.left == 0:
                self.left = int.from_bytes(read_fd(4), 'big')
                if self.left == 0:
                    self.ended = True
                    break
            take = min(n, self.left)
            moved = 0
            if can_splice:
                try:
                    moved = os.splice(0, fd, take)
                except OSError as e:
                    if e.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
                        raise
                    can_splice = False
                else:
                    if moved == 0:
                        raise Gone()
            if not can_splice:
                data = memoryview(read_fd(take))
                moved = len(data)
                while data:
                    data = data[os.write(fd, data):]
            self.left -= moved
            n -= moved
        return want - n

class Output:
    def __init__(self):
        self.parts = []
        self.buffer = self
    def write(self, data):
        self.parts.append(data.encode('utf-8', 'surrogateescape') if isinstance(data, str) else bytes(data))
        return len(data)
    def flush(self):
        pass

class Stdin:
    def __init__(self, inp):
        self.buffer = inp

def answer(status, payload):
    write_fd(status + len(payload).to_bytes(8, 'big') + payload)

def open_fds():
    return set(os.listdir('/proc/self/fd'))

real_in, real_out = sys.stdin, sys.stdout

def run(request):
    # One script, its input, its output: the answer's payload.
    inp, out = Input(), Output()
    before = open_fds()
    sys.argv[1:] = request['argv']
    sys.stdin, sys.stdout = Stdin(inp), out
    try:
        exec(script(request['run']), {'__name__': '__bt_' + request['run'] + '__'})
    finally:
        sys.stdin, sys.stdout = real_in, real_out
        del sys.argv[1:]
        for fd in open_fds() - before:
            try:
                os.close(int(fd))
            except OSError:
                pass
    inp.drain()
    return b''.join(out.parts)

def run_as(request, uid, gid):
    # In a child that is uid:gid (never root) before it reads the request's input or touches the
    # volume; it answers itself. The helper goes on only if the child answered and exited cleanly.
    # The script is compiled, and the modules the scripts import are loaded, here, once: every
    # child starts with them.
    script(request['run'])
    import hashlib, shutil, stat
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if uid <= 0 or gid < 0:
                raise PermissionError('bt-cannot-become: a sync step never writes as root')
            try:
                # The owner's own groups, as docker exec --user gives them, where the container knows the user.
                try:
                    import pwd
                    groups = os.getgrouplist(pwd.getpwuid(uid).pw_name, gid)
                except (ImportError, KeyError, OSError):
                    groups = []
                os.setgroups(groups)
                os.setgid(gid)
                os.setuid(uid)
            except OSError as e:
                raise PermissionError('bt-cannot-become %d:%d: %s' % (uid, gid, e))
            if (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid, uid, gid, gid):
                raise PermissionError('bt-cannot-become %d:%d' % (uid, gid))
            answer(DONE, run(request))
            code = 0
        except Gone:
            pass
        except BaseException:
            try:
                answer(b'1', traceback.format_exc().encode('utf-8', 'replace'))
            except BaseException:
                pass  # nobody is listening any more
        finally:
            os._exit(code)
    return os.waitpid(pid, 0)[1] == 0

while True:
    try:
        head = read_fd(6)
    except Gone:
        break
    if head != b'BTREQ\n':
        answer(b'1', b'the sync helper got a request it cannot read')
        break
    try:
        request = json.loads(read_fd(int.from_bytes(read_fd(4), 'big')))
        become = request.get('as')
        if become is not None and BECOME:
            if run_as(request, int(become[0]), int(become[1])):
                continue
            break
        payload = run(request)
    except Gone:
        break
    except BaseException:
        answer(b'1', traceback.format_exc().encode('utf-8', 'replace'))
        break
    answer(DONE, payload)
`;

/**
 * Hashes files of the volume for the sync (argv: the volume's root, then each path under it), as
 * `sha256sum -z` prints them: `<hex>  <path>\0` per file, then the done marker. Files are opened one
 * folder at a time without following links; a file that cannot be read fails the request (the sync
 * stops, and the next one starts over).
 */
export const REMOTE_HASH_SCRIPT = String.raw`
import hashlib, os, sys
O_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
rootfd = os.open(sys.argv[1], O_DIR)
out = []
for rel in sys.argv[2:]:
    parts = rel.split('/')
    if any(p in ('', '.', '..') for p in parts):
        raise PermissionError('unsafe path: ' + rel)
    fd = rootfd
    try:
        for p in parts[:-1]:
            nfd = os.open(p, O_DIR, dir_fd=fd)
            if fd != rootfd:
                os.close(fd)
            fd = nfd
        f = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
    finally:
        if fd != rootfd:
            os.close(fd)
    try:
        h = hashlib.sha256()
        while True:
            chunk = os.read(f, 1 << 20)
            if not chunk:
                break
            h.update(chunk)
    finally:
        os.close(f)
    out.append(h.hexdigest().encode() + b'  ' + os.fsencode(rel) + b'\0')
out.append(b'\0bt-done')
sys.stdout.buffer.write(b''.join(out))
`;
