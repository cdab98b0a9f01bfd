#!/usr/bin/env python3
"""Benchtop's agent on a shared host: what must hold while every laptop is closed.

One agent runs per Docker engine, as a container named `benchtop-agent` (the name is the mutex;
restart policy unless-stopped), started by whichever Benchtop client finds it missing or older
than its own. It talks to the engine over its socket and, every few seconds:

- frees GPU leases whose session has ended (or never appeared after a grace period), and
  re-asserts the lease of a running session whose lease record vanished (`docker container prune`);
- warns the holder a few minutes before a lease expires, then stops the session (stop, never
  remove: notebooks stay in their volume) and frees its cards;
- stops sessions idle for their idle time: every kernel idle, terminals idle, Jupyter's own last
  activity older than the rule (asked with `no_track_activity`, so asking is not activity) and,
  where GPUs are leased, every card below the policy's utilization threshold over that time;
- hands freed cards to the head of the queue (first come, first served; no overtaking, so a
  multi-GPU request is not starved by single-GPU ones);
- flags cards used outside any lease, so no client hands them out.

Everything it knows and says lives on the engine as labels (the same names as
src/main/core/gpu/*-labels.ts): lease and queue records are created-never-started containers,
the policy and notices are volumes. Only the Python standard library is used: the analysis image
has python3 and nothing else is needed.
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

AGENT_VERSION = 3

P = 'dev.benchtop.'
OWNER, OWNER_NAME = P + 'owner', P + 'owner-name'
SESSION, SESSION_GPUS, SESSION_IDLE, SESSION_USER = P + 'session', P + 'gpus', P + 'idle-minutes', P + 'user'
LEASE = P + 'lease'
L_GPU, L_HOLDER, L_SESSION, L_SECONDS, L_KIND, L_EXTENDS = (LEASE + '.' + k for k in ('gpu', 'holder', 'session', 'seconds', 'kind', 'extends'))
QUEUE = P + 'queue'
Q_SESSION, Q_COUNT, Q_IDS, Q_SECONDS, Q_KIND, Q_HOLDER, Q_IDLE = (QUEUE + '.' + k for k in ('session', 'count', 'ids', 'seconds', 'kind', 'holder', 'idle-minutes'))
POLICY = P + 'policy'
POLICY_KEYS = ('max-gpus-per-user', 'lease-seconds', 'max-lease-seconds', 'idle-seconds', 'gpu-idle-util', 'set-by')
NOTICE = P + 'notice'
N_KIND, N_SESSION, N_GPU, N_AT, N_MESSAGE = (NOTICE + '.' + k for k in ('kind', 'session', 'gpu', 'at', 'message'))
AGENT = P + 'agent'
SCOPE = P + 'scope'

DEFAULT_POLICY = {'max-gpus-per-user': 0, 'lease-seconds': 8 * 3600, 'max-lease-seconds': 24 * 3600,
                  'idle-seconds': 0, 'gpu-idle-util': 5}
JUPYTER_PORT = '8888/tcp'
STOPPED_NOTICE_KEEP_S = 24 * 3600
# A session container using a quarter of a core or more between two passes is working, whatever
# Jupyter says: a script started from a terminal and left running, or a cell Jupyter lists as idle
# (classic Jupyter can, when a tab's opening kernel_info reply lands after the cell's busy). An idle
# Jupyter answering the agent's own polls uses about 1% of a core.
CPU_BUSY_CORES = 0.25


def log(text):
    sys.stdout.write(time.strftime('%Y-%m-%dT%H:%M:%SZ ', time.gmtime()) + text + '\n')
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# Rules (pure: tested in test_agent.py)

def lease_name(gpu):
    """The lease record's container name: the engine refuses a second one (409), so it is the mutex."""
    return 'benchtop-gpu-' + re.sub(r'[^a-zA-Z0-9_.-]', '_', gpu)


def warn_lead(duration_s):
    """How long before a stop the holder is warned: a quarter of the rule, between 5 s and 5 minutes."""
    return min(300.0, max(5.0, duration_s / 4))


def parse_time(text):
    """RFC 3339 with up to nanoseconds (what the engine and Jupyter write) to epoch seconds; None if unset."""
    if not text or text.startswith('0001-'):
        return None
    m = re.match(r'(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$', text)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    import calendar
    t = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s), 0, 0, 0))
    if frac:
        t += float('0.' + frac)
    if tz and tz != 'Z':
        sign = 1 if tz[0] == '+' else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        t -= sign * (hh * 3600 + mm * 60)
    return t


def number(value, default=0.0):
    try:
        result = float(value)
        return result if result == result else default  # NaN
    except (TypeError, ValueError):
        return default


def last_activity(status, kernels, terminals, started_at, now):
    """The same rule as src/main/core/jupyter/idle-rule.ts: a busy kernel is activity now."""
    if any((k.get('execution_state') or 'idle') != 'idle' for k in kernels):
        return now
    times = [parse_time(status.get('last_activity'))]
    times += [parse_time(k.get('last_activity')) for k in kernels]
    times += [parse_time(t.get('last_activity')) for t in terminals]
    return max([started_at] + [t for t in times if t is not None])


def cpu_busy(before, after):
    """Whether a container used CPU_BUSY_CORES or more between two samples of (time s, total CPU ns)."""
    if before is None or after is None or after[0] <= before[0] or after[1] < before[1]:
        return False
    return (after[1] - before[1]) / 1e9 / (after[0] - before[0]) >= CPU_BUSY_CORES


def lease_expiry(records, policy):
    """A lease's expiry: the latest of its records (the lease and its extensions), each `seconds` after its creation."""
    ends = []
    for r in records:
        seconds = number(r['labels'].get(L_SECONDS), 0) or policy['lease-seconds']
        ends.append(r['created'] + seconds)
    return max(ends) if ends else None


def effective_idle_seconds(session_minutes, policy):
    """The session's own rule and the host's, whichever is stricter; 0 = no idle stop."""
    rules = [s for s in (session_minutes * 60, policy['idle-seconds']) if s > 0]
    return min(rules) if rules else 0


def device_ids(host_config):
    """GPU ids a container asked the engine for; ['all'] for a request of every card."""
    ids = []
    for req in (host_config or {}).get('DeviceRequests') or []:
        caps = [c for group in (req.get('Capabilities') or []) for c in group]
        if req.get('Driver') != 'nvidia' and 'gpu' not in caps:
            continue
        if req.get('DeviceIDs'):
            ids += req['DeviceIDs']
        elif req.get('Count'):
            ids.append('all')
    return ids


def grantable(queue, free, held_by_owner, policy):
    """Which queue entries get which cards now: strictly in order, the first that cannot be met
    stops the line (so single-GPU requests never overtake a multi-GPU one); an entry over its
    owner's quota waits without blocking others. Returns [(entry, [cards])]."""
    grants = []
    free = list(free)
    held = dict(held_by_owner)
    limit = int(policy['max-gpus-per-user'])
    for entry in queue:
        count = entry['count']
        if limit > 0 and held.get(entry['owner'], 0) + count > limit:
            continue
        if entry['ids']:
            if not all(i in free for i in entry['ids']):
                break
            cards = list(entry['ids'])
        elif count <= len(free):
            cards = free[:count]
        else:
            break
        grants.append((entry, cards))
        free = [c for c in free if c not in cards]
        held[entry['owner']] = held.get(entry['owner'], 0) + count
    return grants


def parse_smi_gpus(text):
    """`index, uuid, utilization.gpu, memory.used, memory.total, name` rows."""
    gpus = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split(',')]
        if len(f) < 6 or not f[0].isdigit():
            continue
        gpus.append({'index': int(f[0]), 'uuid': f[1], 'util': number(f[2], 0), 'used': number(f[3], 0),
                     'total': number(f[4], 0), 'name': ', '.join(f[5:])})
    return gpus


def parse_smi_apps(text):
    """`gpu_uuid, pid, used_memory` rows."""
    apps = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split(',')]
        if len(f) >= 2 and f[1].isdigit():
            apps.append({'gpu': f[0], 'pid': int(f[1])})
    return apps


# ---------------------------------------------------------------------------------------------
# The engine, over its socket

class DockerError(Exception):
    def __init__(self, status, body):
        super().__init__(f'engine answered {status}: {body[:300]!r}')
        self.status = status


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__('localhost', timeout=timeout)
        self.socket_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


class Engine:
    def __init__(self, path):
        self.path = path

    def call(self, method, url, body=None, timeout=30):
        conn = UnixHTTPConnection(self.path, timeout)
        try:
            headers = {'Content-Type': 'application/json'} if body is not None else {}
            conn.request(method, url, json.dumps(body) if body is not None else None, headers)
            res = conn.getresponse()
            data = res.read()
        finally:
            conn.close()
        if res.status >= 300 and res.status != 304:
            raise DockerError(res.status, data)
        return json.loads(data) if data and data[:1] in (b'{', b'[') else None

    @staticmethod
    def filters(**kw):
        return urllib.parse.quote(json.dumps(kw))

    def containers(self, **filters):
        return self.call('GET', '/containers/json?all=1' + (f'&filters={self.filters(**filters)}' if filters else ''))

    def inspect(self, ident):
        return self.call('GET', f'/containers/{urllib.parse.quote(ident)}/json')

    def volumes(self, label):
        return self.call('GET', f'/volumes?filters={self.filters(label=[label])}').get('Volumes') or []

    def cpu_ns(self, ident):
        """The container's CPU time so far (ns), in one read (`one-shot`: no second sample waited for)."""
        stats = self.call('GET', f'/containers/{urllib.parse.quote(ident)}/stats?stream=false&one-shot=true', timeout=15) or {}
        total = ((stats.get('cpu_stats') or {}).get('cpu_usage') or {}).get('total_usage')
        return total if isinstance(total, int) else None

    def create_record(self, name, image, labels):
        return self.call('POST', f'/containers/create?name={urllib.parse.quote(name)}', {
            'Image': image, 'Cmd': ['true'], 'Labels': labels, 'NetworkDisabled': True,
            'HostConfig': {'NetworkMode': 'none'}})['Id']

    def remove(self, ident):
        try:
            self.call('DELETE', f'/containers/{urllib.parse.quote(ident)}?force=1')
        except DockerError as e:
            if e.status != 404:
                raise

    def stop(self, ident, grace=10):
        self.call('POST', f'/containers/{urllib.parse.quote(ident)}/stop?t={grace}', timeout=grace + 30)

    def create_volume(self, name, labels):
        self.call('POST', '/volumes/create', {'Name': name, 'Labels': labels})

    def remove_volume(self, name):
        try:
            self.call('DELETE', f'/volumes/{urllib.parse.quote(name)}')
        except DockerError as e:
            if e.status not in (404, 409):
                raise


# ---------------------------------------------------------------------------------------------
# GPUs and Jupyter

class Gpus:
    """nvidia-smi inside this container (the NVIDIA runtime mounts it) or the host's, via chroot."""

    def __init__(self, host_root, host_path):
        self.host_root = host_root
        self.host_path = host_path

    def run(self, args):
        if shutil.which('nvidia-smi'):
            cmd = ['nvidia-smi'] + args
        elif self.host_path and os.path.isdir(self.host_root):
            cmd = ['chroot', self.host_root, self.host_path] + args
        else:
            return None
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=15)
        except (OSError, subprocess.TimeoutExpired) as e:
            log(f'nvidia-smi failed: {e}')
            return None
        if out.returncode != 0:
            log(f'nvidia-smi exited {out.returncode}: {(out.stdout + out.stderr).strip()[:200]}')
            return None
        return out.stdout

    def read(self):
        gpus = self.run(['--query-gpu=index,uuid,utilization.gpu,memory.used,memory.total,name', '--format=csv,noheader,nounits'])
        if gpus is None:
            return None, []
        apps = self.run(['--query-compute-apps=gpu_uuid,pid,used_memory', '--format=csv,noheader,nounits']) or ''
        return parse_smi_gpus(gpus), parse_smi_apps(apps)


def jupyter_get(port, token, path):
    conn = http.client.HTTPConnection('127.0.0.1', int(port), timeout=5)
    try:
        conn.request('GET', f'/{path}?no_track_activity=1', headers={'Authorization': f'token {token}'})
        res = conn.getresponse()
        body = res.read()
    finally:
        conn.close()
    if res.status == 404 and path == 'api/terminals':
        return []
    if res.status != 200:
        raise OSError(f'Jupyter answered {res.status} to /{path}')
    return json.loads(body)


def env_value(inspect, key):
    for item in (inspect.get('Config') or {}).get('Env') or []:
        if item.startswith(key + '='):
            return item[len(key) + 1:]
    return None


def jupyter_port(inspect):
    bound = ((inspect.get('NetworkSettings') or {}).get('Ports') or {}).get(JUPYTER_PORT) or []
    return bound[0].get('HostPort') if bound else None


# ---------------------------------------------------------------------------------------------
# One pass

class Agent:
    def __init__(self, engine, gpus, scope=None, grace_s=120.0):
        self.engine = engine
        self.gpus = gpus
        self.scope = scope
        self.grace_s = grace_s
        self.policy_labels = None      # last policy seen, re-asserted if someone removes it
        self.expiry_memory = {}        # (session, gpu) → expiry, for re-asserting a vanished lease
        self.samples = {}              # gpu uuid → [(t, util)]
        self.first_seen = {}           # session → first time seen running with GPUs
        self.created_ns = {}           # container id → precise creation time (queue order)
        self.requests = {}             # container id → its inspect (DeviceRequests never change after creation)
        self.cpu = {}                  # session → (time, total CPU ns) at the last pass
        self.computed_at = {}          # session → last time its container was working by CPU use

    # -- reading --------------------------------------------------------------------------------
    def in_scope(self, labels):
        return (labels or {}).get(SCOPE) == self.scope if self.scope else not (labels or {}).get(SCOPE)

    def scoped(self, labels):
        return dict(labels, **{SCOPE: self.scope}) if self.scope else labels

    def read_policy(self):
        vols = [v for v in self.engine.volumes(POLICY + '=1') if self.in_scope(v.get('Labels'))]
        if not vols:
            if self.policy_labels:
                name = 'benchtop-policy-' + hashlib.sha1(json.dumps(self.policy_labels, sort_keys=True).encode()).hexdigest()[:12]
                log(f'policy record vanished; re-asserting it as {name}')
                self.engine.create_volume(name, self.policy_labels)
                labels = self.policy_labels
            else:
                labels = {}
        else:
            vols.sort(key=lambda v: (v.get('Labels', {}).get(POLICY + '.set-at', ''), v.get('CreatedAt', ''), v['Name']))
            labels = vols[-1]['Labels']
            self.policy_labels = labels
        policy = dict(DEFAULT_POLICY)
        for key in POLICY_KEYS:
            if key != 'set-by' and POLICY + '.' + key in labels:
                policy[key] = number(labels[POLICY + '.' + key], DEFAULT_POLICY[key])
        return policy

    def precise_created(self, c):
        if c['Id'] not in self.created_ns:
            try:
                created = parse_time(self.engine.inspect(c['Id'])['Created'])
            except DockerError as e:
                if e.status != 404:
                    raise
                created = None  # cancelled since the list; it is skipped at grant time
            self.created_ns[c['Id']] = created or c['Created']
        return self.created_ns[c['Id']]

    # -- one tick -------------------------------------------------------------------------------
    def tick(self, now=None):
        now = time.time() if now is None else now
        policy = self.read_policy()
        everything = self.engine.containers()
        mine = [c for c in everything if self.in_scope(c.get('Labels'))]
        records = [dict(id=c['Id'], name=c['Names'][0].lstrip('/'), created=c['Created'], labels=c['Labels'], image=c['ImageID'], state=c['State'])
                   for c in mine if (c.get('Labels') or {}).get(LEASE) == '1']
        queue = [c for c in mine if (c.get('Labels') or {}).get(QUEUE) == '1']
        sessions = {c['Names'][0].lstrip('/'): c for c in mine if (c.get('Labels') or {}).get(SESSION) == '1'}
        running = {}
        for name, c in sessions.items():
            if c['State'] in ('running', 'paused', 'restarting'):
                try:
                    running[name] = self.engine.inspect(c['Id'])
                except DockerError as e:
                    if e.status != 404:
                        raise
        live = {c['Id'] for c in everything}
        for cache in (self.requests, self.created_ns):
            for ident in [i for i in cache if i not in live]:
                del cache[ident]
        inventory, apps = self.gpus.read()
        inventory = inventory or []
        by_index = {str(g['index']): g['uuid'] for g in inventory}
        uuid_of = lambda gpu: by_index.get(gpu, gpu)
        for g in inventory:
            series = self.samples.setdefault(g['uuid'], [])
            series.append((now, g['util']))
            keep = max(3600.0, policy['idle-seconds'] * 2)
            while series and series[0][0] < now - keep:
                series.pop(0)

        # Cards other running containers asked for (a session whose lease vanished, or a manual --gpus run).
        used_by = {}
        for c in everything:
            labels = c.get('Labels') or {}
            if c['State'] != 'running' or labels.get(AGENT) == '1':
                continue
            name = c['Names'][0].lstrip('/')
            inspect = running.get(name)
            if inspect is None:
                if c['Id'] not in self.requests:
                    try:
                        self.requests[c['Id']] = self.engine.inspect(c['Id'])
                    except DockerError as e:
                        if e.status != 404:
                            raise
                        continue  # removed since the list: it uses nothing any more
                inspect = self.requests[c['Id']]
            for gpu in device_ids(inspect.get('HostConfig')):
                for card in ([g['uuid'] for g in inventory] if gpu == 'all' else [uuid_of(gpu)]):
                    used_by.setdefault(card, []).append((name, labels, inspect, gpu))

        self.reassert(records, used_by, policy, now)
        records = [r for r in records if r['state'] != 'gone']
        self.free_ended(records, sessions, now)
        records = [r for r in records if r['state'] != 'gone']
        notices = {}
        self.expire(records, running, policy, now, notices)
        records = [r for r in records if r['state'] != 'gone']
        self.idle(running, records, policy, uuid_of, now, notices)
        records = [r for r in records if r['state'] != 'gone']

        leased = {uuid_of(r['labels'].get(L_GPU, '')) for r in records if r['labels'].get(L_EXTENDS) != '1'}
        unleased = {}
        for app in apps:
            if app['gpu'] not in leased and app['gpu'] not in used_by:
                unleased.setdefault(app['gpu'], []).append(app['pid'])
        for card, users in used_by.items():
            if card not in leased and not any(u[1].get(SESSION) == '1' for u in users):
                unleased.setdefault(card, []).extend(u[0] for u in users)
        for card, who in unleased.items():
            index = next((g['index'] for g in inventory if g['uuid'] == card), '?')
            notices[('unleased-use', card)] = {N_KIND: 'unleased-use', N_GPU: card, N_AT: str(int(now)),
                                               N_MESSAGE: f'GPU {index} ({card}) is in use without a lease ({", ".join(map(str, who))}); it is not handed out.'}
        free = [g['uuid'] for g in inventory if g['uuid'] not in leased and g['uuid'] not in used_by and g['uuid'] not in unleased]
        self.grant(queue, records, free, policy, uuid_of, len(inventory), notices, now)
        self.publish(notices, now)

    # -- leases ---------------------------------------------------------------------------------
    def reassert(self, records, used_by, policy, now):
        held = {r['labels'].get(L_GPU) for r in records if r['labels'].get(L_EXTENDS) != '1'}
        for card, users in used_by.items():
            for name, labels, inspect, gpu in users:
                if labels.get(SESSION) != '1' or gpu in held or gpu == 'all':
                    continue
                remembered = self.expiry_memory.get((name, gpu))
                seconds = max(60, int(remembered - now)) if remembered else int(policy['lease-seconds'])
                lease = self.scoped({LEASE: '1', L_GPU: gpu, L_SESSION: name, L_SECONDS: str(seconds), L_KIND: 'session',
                                     L_HOLDER: labels.get(OWNER_NAME) or labels.get(SESSION_USER) or 'unknown',
                                     OWNER: labels.get(OWNER, ''), OWNER_NAME: labels.get(OWNER_NAME, ''),
                                     LEASE + '.reasserted': '1', LEASE + '.idle-minutes': labels.get(SESSION_IDLE, '0')})
                try:
                    ident = self.engine.create_record(lease_name(gpu), inspect.get('Image'), lease)
                except DockerError as e:
                    if e.status == 409:
                        continue
                    raise
                log(f'lease of {gpu} for running session {name} had vanished; re-asserted for {seconds} s')
                records.append(dict(id=ident, name=lease_name(gpu), created=now, labels=lease, image=inspect.get('Image'), state='created'))
                held.add(gpu)

    def free(self, records, why):
        for r in records:
            self.engine.remove(r['id'])
            r['state'] = 'gone'
        if records:
            log(f'freed {", ".join(sorted({r["labels"].get(L_GPU, "?") for r in records}))} of {records[0]["labels"].get(L_SESSION)}: {why}')

    def by_session(self, records):
        groups = {}
        for r in records:
            groups.setdefault(r['labels'].get(L_SESSION, ''), []).append(r)
        return groups

    def free_ended(self, records, sessions, now):
        for session, group in self.by_session(records).items():
            if any(r['labels'].get(L_KIND) == 'reservation' for r in group):
                continue
            c = sessions.get(session)
            state = c['State'] if c else 'gone'
            if state in ('exited', 'dead'):
                self.free(group, 'its session has stopped')
            elif state in ('gone', 'created', 'removing') and now - max(r['created'] for r in group) > self.grace_s:
                self.free(group, f'its session did not start within {int(self.grace_s)} s' if state != 'removing' else 'its session was removed')

    def expire(self, records, running, policy, now, notices):
        for session, group in self.by_session(records).items():
            ends = lease_expiry(group, policy)
            if ends is None:
                continue
            for r in group:
                self.expiry_memory[(session, r['labels'].get(L_GPU))] = ends
            base = [r for r in group if r['labels'].get(L_EXTENDS) != '1']
            owner = (base or group)[0]['labels']
            cards = ', '.join(sorted({r['labels'].get(L_GPU, '?') for r in base}))
            if now >= ends:
                if session in running:
                    log(f'lease of {session} expired; stopping it')
                    try:
                        self.engine.stop(running[session]['Id'])
                    except DockerError as e:
                        log(f'could not stop {session}: {e}')
                        continue
                    running.pop(session, None)
                self.free(group, 'its lease expired')
                self.notice_once('stopped', session, owner, now,
                                 f'The lease on {cards} for {session} expired; the session was stopped (notebooks are saved) and the cards freed.')
            elif now >= ends - warn_lead(ends - max(r['created'] for r in base or group)):
                notices[('lease-expiry', session)] = {N_KIND: 'lease-expiry', N_SESSION: session, N_GPU: cards, N_AT: str(int(ends)),
                                                      OWNER: owner.get(OWNER, ''), OWNER_NAME: owner.get(OWNER_NAME, ''),
                                                      N_MESSAGE: f'The lease on {cards} for {session} expires at {time.strftime("%H:%M:%S UTC", time.gmtime(ends))}; extend it to keep the session running.'}

    # -- idle -----------------------------------------------------------------------------------
    def computing(self, name, ident, now):
        """When the session's container last used CPU_BUSY_CORES or more between two passes (0: never)."""
        try:
            used = self.engine.cpu_ns(ident)
        except (DockerError, OSError, ValueError, http.client.HTTPException) as e:
            log(f'could not read the CPU use of {name} (Jupyter alone decides this pass): {e}')
            used = None
        if used is not None:
            if cpu_busy(self.cpu.get(name), (now, used)):
                self.computed_at[name] = now
            self.cpu[name] = (now, used)
        return self.computed_at.get(name, 0)

    def idle(self, running, records, policy, uuid_of, now, notices):
        for cache in (self.cpu, self.computed_at):
            for name in [n for n in cache if n not in running]:
                del cache[name]
        for name, inspect in list(running.items()):
            labels = inspect['Config'].get('Labels') or {}
            rule = effective_idle_seconds(number(labels.get(SESSION_IDLE), 0), policy)
            if rule <= 0 or not inspect['State'].get('Running'):
                continue
            token, port = env_value(inspect, 'JUPYTER_TOKEN'), jupyter_port(inspect)
            if not token or not port:
                continue
            try:
                status = jupyter_get(port, token, 'api/status')
                kernels = jupyter_get(port, token, 'api/kernels')
                terminals = jupyter_get(port, token, 'api/terminals')
            except (OSError, ValueError, http.client.HTTPException):
                continue  # not answering is not idleness
            started = parse_time(inspect['State'].get('StartedAt')) or now
            last = max(last_activity(status, kernels, terminals, started, now), self.computing(name, inspect['Id'], now))
            cards = [uuid_of(g) for g in device_ids(inspect.get('HostConfig')) if g != 'all']
            if cards:
                self.first_seen.setdefault(name, now)
                last = max(last, self.first_seen[name])
                threshold = policy['gpu-idle-util']
                for card in cards:
                    busy = [t for t, util in self.samples.get(card, []) if util >= threshold and t >= now - rule]
                    if busy:
                        last = max(last, busy[-1])
            stop_at = last + rule
            minutes = f'{rule / 60:g}'
            if now >= stop_at:
                log(f'{name} idle for {minutes} min; stopping it')
                try:
                    self.engine.stop(inspect['Id'])
                except DockerError as e:
                    log(f'could not stop {name}: {e}')
                    continue
                running.pop(name, None)
                self.free([r for r in records if r['labels'].get(L_SESSION) == name and r['state'] != 'gone'], 'its session was idle')
                self.notice_once('stopped', name, labels, now,
                                 f'{name} was stopped after {minutes} idle minutes (notebooks are saved){" and its GPUs freed" if cards else ""}.')
            elif now >= stop_at - warn_lead(rule):
                notices[('idle-stop', name)] = {N_KIND: 'idle-stop', N_SESSION: name, N_AT: str(int(stop_at)),
                                                OWNER: labels.get(OWNER, ''), OWNER_NAME: labels.get(OWNER_NAME, ''),
                                                N_MESSAGE: f'{name} has been idle and will be stopped at {time.strftime("%H:%M:%S UTC", time.gmtime(stop_at))} unless it is used.'}

    # -- queue ----------------------------------------------------------------------------------
    def grant(self, queue, records, free, policy, uuid_of, total, notices, now):
        entries = []
        for c in queue:
            labels = c['Labels']
            ids = [uuid_of(i) for i in (labels.get(Q_IDS) or '').split(',') if i]
            count = len(ids) or int(number(labels.get(Q_COUNT), 1))
            if count > total and total > 0:
                log(f'queue entry {c["Names"][0]} asks for {count} GPUs, the host has {total}; removing it')
                self.engine.remove(c['Id'])
                continue
            entries.append({'id': c['Id'], 'created': self.precise_created(c), 'name': c['Names'][0], 'labels': labels,
                            'owner': labels.get(OWNER, ''), 'count': count, 'ids': ids, 'image': c['ImageID']})
        entries.sort(key=lambda e: (e['created'], e['name']))
        held = {}
        for r in records:
            if r['labels'].get(L_EXTENDS) != '1':
                held[r['labels'].get(OWNER, '')] = held.get(r['labels'].get(OWNER, ''), 0) + 1
        for entry, cards in grantable(entries, free, held, policy):
            labels = entry['labels']
            made = []
            try:
                for card in cards:
                    lease = self.scoped({LEASE: '1', L_GPU: card, L_SESSION: labels.get(Q_SESSION, ''), L_SECONDS: labels.get(Q_SECONDS, str(int(policy['lease-seconds']))),
                                         L_KIND: labels.get(Q_KIND, 'session'), L_HOLDER: labels.get(Q_HOLDER, 'unknown'),
                                         OWNER: labels.get(OWNER, ''), OWNER_NAME: labels.get(OWNER_NAME, ''),
                                         LEASE + '.idle-minutes': labels.get(Q_IDLE, '0'), LEASE + '.since': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now))})
                    made.append(self.engine.create_record(lease_name(card), entry['image'], lease))
            except DockerError as e:
                log(f'could not grant {cards} to {labels.get(Q_SESSION)}: {e}; trying again next pass')
                for ident in made:
                    self.engine.remove(ident)
                return
            self.engine.remove(entry['id'])
            log(f'granted {", ".join(cards)} to {labels.get(Q_SESSION)} ({labels.get(Q_HOLDER)}) from the queue')

    # -- notices --------------------------------------------------------------------------------
    def notice_name(self, key):
        return 'benchtop-notice-' + hashlib.sha1(json.dumps(key).encode()).hexdigest()[:16]

    def notice_once(self, kind, session, owner_labels, now, message):
        labels = self.scoped({NOTICE: '1', N_KIND: kind, N_SESSION: session, N_AT: str(int(now)), N_MESSAGE: message,
                              OWNER: owner_labels.get(OWNER, ''), OWNER_NAME: owner_labels.get(OWNER_NAME, '')})
        self.engine.create_volume(self.notice_name([kind, session, int(now)]), labels)

    def publish(self, notices, now):
        wanted = {}
        for key, labels in notices.items():
            labels = self.scoped({NOTICE: '1', **labels})
            wanted[self.notice_name([key[0], key[1], labels.get(N_AT)])] = labels
        existing = {v['Name']: v for v in self.engine.volumes(NOTICE + '=1') if self.in_scope(v.get('Labels'))}
        for name, labels in wanted.items():
            if name not in existing:
                self.engine.create_volume(name, labels)
        for name, vol in existing.items():
            labels = vol.get('Labels') or {}
            if name in wanted:
                continue
            if labels.get(N_KIND) == 'stopped' and now - number(labels.get(N_AT), 0) < STOPPED_NOTICE_KEEP_S:
                continue
            self.engine.remove_volume(name)


def main():
    engine = Engine(os.environ.get('BENCHTOP_DOCKER_SOCKET', '/var/run/docker.sock'))
    gpus = Gpus(os.environ.get('BENCHTOP_HOST_ROOT', '/host'), os.environ.get('BENCHTOP_NVIDIA_SMI', ''))
    agent = Agent(engine, gpus, scope=os.environ.get('BENCHTOP_AGENT_SCOPE') or None,
                  grace_s=number(os.environ.get('BENCHTOP_SETUP_GRACE_S'), 120))
    tick = number(os.environ.get('BENCHTOP_AGENT_TICK_S'), 5)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log(f'benchtop agent {AGENT_VERSION} watching {engine.path} every {tick:g} s')
    while True:
        started = time.time()
        try:
            agent.tick()
        except Exception as e:  # one failed pass (engine restarting, a record removed meanwhile) is retried next pass
            log(f'pass failed: {type(e).__name__}: {e}')
        time.sleep(max(0.5, tick - (time.time() - started)))


if __name__ == '__main__':
    main()
