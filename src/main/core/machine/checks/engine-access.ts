import { access as accessCb, constants, readFile as readFileCb, stat as statCb } from 'node:fs';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { systemCode } from '../../errors';
import type { MachineCheck } from '../types';

// node:fs with promisify, not node:fs/promises: that module loads a dozen more on first use, which
// `benchtop check` pays for at start-up.
const access = promisify(accessCb);
const readFile = promisify(readFileCb);
const stat = promisify(statCb);

const GROUP_HINT = 'Add yourself to the docker group (`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker/Podman.';

async function groupName(gid: number): Promise<string> {
  try {
    const line = (await readFile('/etc/group', 'utf8')).split('\n').find((l) => l.split(':')[2] === String(gid));
    return line?.split(':')[0] ?? String(gid);
  } catch {
    return String(gid);
  }
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Whether this user may use the engine's socket: the usual first-day failure on Linux. */
export const engineAccessCheck: MachineCheck = {
  id: 'engine-access',
  title: 'Engine permission',
  async run(ctx) {
    const engine = await ctx.engine();
    const endpoint = engine.ok ? engine.info.endpoint : engine.endpoint;
    if (!endpoint) return { status: 'skipped', value: 'no engine endpoint was found' };
    if (endpoint.kind !== 'unix') {
      if (!engine.ok && engine.error.code === 'ENGINE_PERMISSION_DENIED') {
        return { status: 'fail', value: engine.error.message, code: engine.error.code, hint: engine.error.hint };
      }
      return { status: engine.ok ? 'pass' : 'skipped', value: `${endpoint.kind} endpoint ${endpoint.address}${endpoint.tls ? ' with TLS' : ''}; no socket permissions apply` };
    }
    try {
      await access(endpoint.address, constants.R_OK | constants.W_OK);
      return { status: 'pass', value: `${whoAmI()} may use ${endpoint.address}` };
    } catch (error) {
      const code = systemCode(error);
      if (code === 'ENOENT') return { status: 'skipped', value: `there is no socket at ${endpoint.address}` };
      const owner = await stat(endpoint.address).then(
        async (s) => `, owned by ${s.uid === 0 ? 'root' : s.uid}:${await groupName(s.gid)} mode ${(s.mode & 0o777).toString(8)}`,
        () => '',
      );
      return { status: 'fail', value: `${whoAmI()} may not use ${endpoint.address} (${code ?? 'denied'}${owner})`, code: 'ENGINE_PERMISSION_DENIED', hint: GROUP_HINT };
    }
  },
};
