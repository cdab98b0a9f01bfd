import type { ContainerRuntime } from './runtime';
import { CPU_BUSY_CORES } from '../jupyter/idle-rule';

export interface JobScriptOptions {
  /** Benchtop's id for the session (names the state folder and the container). */
  session: string;
  /** The owner id recorded on the container. */
  ownerId: string;
  /** The pinned image, `name@sha256:…` (or a full name already in the nodes' store). */
  image: string;
  /** Notebooks folder on the cluster's shared file system, mounted into the container. */
  notebooksDir: string;
  /** Where the job keeps its token (0600), endpoint, log and end reason; on the shared file system. */
  stateDir: string;
  /** Where the notebooks appear inside the container. */
  workspace: string;
  /** Extra arguments for Jupyter (the project's, already checked by assertPrivateJupyter). */
  jupyterArgs: string[];
  /** Idle rule: end the job after this many minutes idle; 0 = never. */
  idleMinutes: number;
  /** How often the idle rule looks (seconds); short in tests. */
  idlePollSeconds?: number;
  /** The GPU device file of card `{index}` on node `{node}`; default /dev/nvidia{index}. */
  gpuDevicePattern?: string;
  runtime: ContainerRuntime;
}

/** Single-quotes a value for bash. */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Asks the Jupyter inside the container how long it has been idle, by the same rule as the app and
 * the host agent: any kernel not idle → busy; else seconds since the newest of the server's, the
 * kernels' and the terminals' last activity. Its own calls carry no_track_activity (and /api/status
 * never counts as activity). The container's CPU use counts too, as in the app and the agent: a
 * share of a core of CPU_BUSY_CORES or more since the last look (its processes' times from /proc, the
 * last look kept in /tmp/.benchtop-idle-cpu) is activity then, so a script started from a terminal
 * keeps the job. Prints `busy` or a number of seconds.
 */
export const IDLE_CHECK_PY = `
import json, os, sys, time, urllib.request, datetime
def cpu_seconds():
    total = 0
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                with open('/proc/' + pid + '/stat') as f:
                    total += sum(int(x) for x in f.read().rsplit(')', 1)[1].split()[11:15])
            except (OSError, ValueError):
                pass
    return total / os.sysconf('SC_CLK_TCK')
STATE = '/tmp/.benchtop-idle-cpu'
at, cpu = time.time(), cpu_seconds()
try:
    with open(STATE) as f:
        last = json.load(f)
except (OSError, ValueError):
    last = {}
computed = last.get('computed', 0)
if last and at > last['at'] and cpu >= last['cpu'] and (cpu - last['cpu']) / (at - last['at']) >= ${CPU_BUSY_CORES}:
    computed = at
try:
    with open(STATE, 'w') as f:
        json.dump({'at': at, 'cpu': cpu, 'computed': computed}, f)
except OSError:
    pass  # a read-only /tmp: Jupyter's activity alone decides, as before
base = 'http://127.0.0.1:8888'
def get(path):
    req = urllib.request.Request(base + path, headers={'Authorization': 'token ' + os.environ.get('JUPYTER_TOKEN', '')})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)
def when(s):
    try:
        return datetime.datetime.fromisoformat(str(s).replace('Z', '+00:00'))
    except Exception:
        return None
status = get('/api/status')
kernels = get('/api/kernels?no_track_activity=1')
try:
    terminals = get('/api/terminals?no_track_activity=1')
except Exception:
    terminals = []
if any((k.get('execution_state') or 'idle') != 'idle' for k in kernels):
    print('busy'); sys.exit(0)
times = [when(x.get('last_activity')) for x in [status] + kernels + terminals]
times = [t for t in times if t is not None]
if computed:
    times.append(datetime.datetime.fromtimestamp(computed, datetime.timezone.utc))
if not times:
    print('busy'); sys.exit(0)
now = datetime.datetime.now(datetime.timezone.utc)
print(int((now - max(times)).total_seconds()))
`;

/**
 * The batch script of a session. It runs on the compute node as the user:
 * 1. makes the session's token in a 0600 file (never on a command line: Jupyter reads $JUPYTER_TOKEN);
 * 2. takes the job's GPUs from SLURM_STEP_GPUS / SLURM_JOB_GPUS as devices and environment;
 * 3. pulls the pinned image when the node's store lacks it (with the registry login Benchtop left in
 *    a 0600 file of the job's 0700 folder, removed right after), and starts it with --init, labelled with
 *    the job id, Jupyter published only on the node's address Slurm uses (reached through the login
 *    node's SSH forward), the notebooks folder mounted;
 * 4. writes `endpoint` (node, port, GPUs) for Benchtop, then watches: the container's end ends the
 *    job, and the idle rule (Jupyter's /api/status and /api/kernels) ends it with the laptop closed;
 * 5. a trap removes the container however the job ends (scancel, --time, idle), besides the Epilog.
 */
export function jobScript(o: JobScriptOptions): string {
  const idleSeconds = Math.max(0, Math.round(o.idleMinutes * 60));
  const poll = o.idlePollSeconds ?? 30;
  return `#!/bin/bash
# Benchtop session ${o.session}: written by Benchtop; runs the pinned image as a Jupyter session.
set -u
BT_SESSION=${shq(o.session)}
BT_OWNER=${shq(o.ownerId)}
BT_IMAGE=${shq(o.image)}
BT_NOTEBOOKS=${shq(o.notebooksDir)}
BT_STATE=${shq(o.stateDir)}
BT_WORKSPACE=${shq(o.workspace)}
BT_JUPYTER_ARGS=(${o.jupyterArgs.map(shq).join(' ')})
BT_IDLE_SECONDS=${idleSeconds}
BT_POLL=${poll}
BT_GPU_PATTERN=${shq(o.gpuDevicePattern ?? '/dev/nvidia{index}')}
BT_NAME="benchtop-job-$SLURM_JOB_ID"
BT_RUNTIME=${shq(o.runtime.name)}
${o.runtime.functions}
say() { printf '%s benchtop: %s\\n' "$(date -u +%FT%TZ)" "$*"; }
ended() { printf '%s\\n' "$1" > "$BT_STATE/ended.tmp" && mv -f "$BT_STATE/ended.tmp" "$BT_STATE/ended"; }
BT_AUTH_DIR="$BT_STATE/registry"
[ -f "$BT_AUTH_DIR/config.json" ] || BT_AUTH_DIR=""
forget_login() { rm -rf "$BT_STATE/registry"; BT_AUTH_DIR=""; }
cleanup() { bt_remove; forget_login; rm -f "$BT_STATE/endpoint"; }
trap cleanup EXIT
trap 'say "job ending (signal)"; ended "signal"; exit 143' TERM INT HUP USR1

umask 077
mkdir -p "$BT_STATE" "$BT_NOTEBOOKS" || { say "cannot create $BT_STATE or $BT_NOTEBOOKS"; ended "failed: folders"; exit 1; }
chmod 700 "$BT_STATE"
rm -f "$BT_STATE/endpoint" "$BT_STATE/ended"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n' > "$BT_STATE/token"
chmod 600 "$BT_STATE/token"

BT_GPUS="\${SLURM_STEP_GPUS:-\${SLURM_JOB_GPUS:-}}"
BT_DEVICES=()
BT_PN='{node}'; BT_PI='{index}'
for i in \${BT_GPUS//,/ }; do
  f="\${BT_GPU_PATTERN//"$BT_PN"/\${SLURMD_NODENAME:-}}"; f="\${f//"$BT_PI"/$i}"
  [ -e "$f" ] && BT_DEVICES+=(--device "$f:/dev/nvidia$i")
done
if [ -n "$BT_GPUS" ]; then
  for f in nvidiactl nvidia-uvm nvidia-uvm-tools; do [ -r "/dev/$f" ] && BT_DEVICES+=(--device "/dev/$f"); done
fi

# Jupyter is reached from the login node: publish it on the address Slurm reaches this node at.
BT_BIND="$(scontrol show node "\${SLURMD_NODENAME:-$(hostname -s)}" 2>/dev/null | tr ' ' '\\n' | sed -n 's/^NodeAddr=//p' | head -n1)"
case "$BT_BIND" in ''|*[!0-9.]*) BT_BIND="$(getent ahostsv4 "\${BT_BIND:-$(hostname)}" 2>/dev/null | awk 'NR==1{print $1}')";; esac
[ -n "$BT_BIND" ] || BT_BIND=127.0.0.1

if ! bt_image_present "$BT_IMAGE"; then
  say "pulling $BT_IMAGE with $BT_RUNTIME"
  bt_pull "$BT_IMAGE" || { say "could not pull $BT_IMAGE"; ended "failed: pull"; exit 1; }
fi
# The registry login is needed for the pull only: it does not stay on the shared file system.
forget_login

JUPYTER_TOKEN="$(cat "$BT_STATE/token")"
export JUPYTER_TOKEN
started=""
for attempt in 1 2 3 4 5; do
  BT_PORT=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  if (exec 3<>"/dev/tcp/$BT_BIND/$BT_PORT") 2>/dev/null; then continue; fi
  bt_remove
  if bt_start >"$BT_STATE/start.log" 2>&1; then started=1; break; fi
  say "start attempt $attempt on $BT_BIND:$BT_PORT failed: $(tail -n 3 "$BT_STATE/start.log")"
done
unset JUPYTER_TOKEN
[ -n "$started" ] || { say "the container did not start"; ended "failed: start"; exit 1; }
BT_SEEN_GPUS="$(bt_exec printenv BENCHTOP_GPUS 2>/dev/null || true)"
printf 'node=%s\\nport=%s\\ngpus=%s\\ncontainerGpus=%s\\njob=%s\\n' "$BT_BIND" "$BT_PORT" "$BT_GPUS" "$BT_SEEN_GPUS" "$SLURM_JOB_ID" > "$BT_STATE/endpoint.tmp"
mv -f "$BT_STATE/endpoint.tmp" "$BT_STATE/endpoint"
say "Jupyter on $BT_BIND:$BT_PORT, GPUs \${BT_GPUS:-none}, idle rule \${BT_IDLE_SECONDS}s"

BT_IDLE_PY=${shq(IDLE_CHECK_PY)}
while bt_running; do
  sleep "$BT_POLL" & wait $!
  [ "$BT_IDLE_SECONDS" -gt 0 ] || continue
  idle="$(bt_exec python3 -c "$BT_IDLE_PY" 2>/dev/null | tail -n1)"
  case "$idle" in ''|busy|*[!0-9]*) continue;; esac
  if [ "$idle" -ge "$BT_IDLE_SECONDS" ]; then
    say "idle for \${idle}s (rule: \${BT_IDLE_SECONDS}s): ending the job"
    ended "idle"
    exit 0
  fi
done
say "the container ended"
ended "container exited"
exit 0
`;
}
