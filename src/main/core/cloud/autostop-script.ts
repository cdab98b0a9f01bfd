/**
 * The VM's own idle stop, shipped as its `startup-script` (GCE runs it as root at every boot), so
 * the VM stops itself with the laptop closed. It does not judge idleness itself: the on-target agent
 * (src/target-agent, started on the VM like on any host) stops each idle session by the same rule as
 * on shared hosts; this loop powers the VM off once none of its owner's sessions has run for
 * `idleSeconds`. A guest shutdown leaves a GCE instance TERMINATED: no charge for the VM, the disk
 * is kept. `scheduling.maxRunDuration` stops it server-side whatever happens here.
 */
export interface AutostopOptions {
  /** The owner's id as on session containers (dev.benchtop.owner). */
  ownerId: string;
  idleSeconds: number;
  checkSeconds?: number;
  dockerSocket: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function autostopScript(o: AutostopOptions): string {
  const loop = `#!/bin/bash
# Benchtop autostop: power off once no Benchtop session of this VM's owner has run for IDLE seconds.
IDLE=${Math.max(1, Math.round(o.idleSeconds))}
CHECK=${Math.max(1, Math.round(o.checkSeconds ?? 60))}
OWNER=${quote(o.ownerId)}
SOCK=${quote(o.dockerSocket)}
last_busy=$(date +%s)
while sleep "$CHECK"; do
  if running=$(docker -H "unix://$SOCK" ps -q --filter label=dev.benchtop.session=1 --filter "label=dev.benchtop.owner=$OWNER" 2>/dev/null); then
    [ -n "$running" ] && last_busy=$(date +%s)
  else
    # The engine is not answering (still starting, driver install): that is not idleness.
    last_busy=$(date +%s)
  fi
  if [ $(( $(date +%s) - last_busy )) -ge "$IDLE" ]; then
    echo "benchtop-autostop: no session for $IDLE s; powering off"
    shutdown -h now
    exit 0
  fi
done
`;
  // The startup script must end for boot to count as finished: the loop runs as its own unit.
  // ROOT is empty on a VM; the tests' stand-in VM, which shares this computer's disk, sets its own folder.
  return `#!/bin/bash
ROOT="\${BENCHTOP_VM_ROOT:-}"
mkdir -p "$ROOT/opt/benchtop" "$ROOT/var/log"
cat >"$ROOT/opt/benchtop/autostop.sh" <<'BENCHTOP_AUTOSTOP'
${loop}BENCHTOP_AUTOSTOP
chmod 0755 "$ROOT/opt/benchtop/autostop.sh"
if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null; then
  systemctl stop benchtop-autostop 2>/dev/null
  systemd-run --unit benchtop-autostop --description 'Benchtop autostop' "$ROOT/opt/benchtop/autostop.sh"
else
  nohup "$ROOT/opt/benchtop/autostop.sh" >>"$ROOT/var/log/benchtop-autostop.log" 2>&1 </dev/null &
fi
`;
}
