import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeError } from '../../src/shared/errors';
import type { BenchtopApi } from '../../src/shared/ipc';

// Electron cannot run here, so the preload is loaded with a stand-in for the two Electron objects it
// touches; what is asserted is what the preload itself exposes and sends.
const exposed: Record<string, unknown> = {};
const sent: { channel: string; request: unknown }[] = [];
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      sent.push({ channel, request });
      if (channel === 'benchtop:engineInfo') {
        return { error: { code: 'ENGINE_UNREACHABLE', message: 'No engine', hint: 'Start Docker' } };
      }
      return { result: { ok: true } };
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
      listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn)),
  },
}));

describe('preload', () => {
  let api: BenchtopApi;
  beforeAll(async () => {
    await import('../../src/preload/index');
    api = exposed.benchtop as BenchtopApi;
  });

  it('exposes exactly one object, window.benchtop', () => {
    expect(Object.keys(exposed)).toEqual(['benchtop']);
  });

  it('exposes exactly the contract calls and `on`, nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'appInfo', 'settingsGet', 'settingsSet', 'credentialSet', 'credentialCheck', 'credentialRemove', 'openExternal', 'diagnostics',
        'engineInfo', 'machineCheck',
        'projectOpen', 'projectCreate', 'projectRecent', 'projectLockfileStatus', 'projectDrift', 'projectChooseFolder', 'teamSettings', 'teamJoinHosts',
        'imageVersions', 'imagePin', 'imagePinPreview', 'imageUnpin', 'imageLocalList', 'imageRemoveLocal',
        'sessionUp', 'sessionList', 'sessionStop', 'sessionRestart', 'sessionRemove', 'sessionLogs', 'sessionOpen',
        'sessionWatchStats', 'imagePull', 'operationCancel',
        'hostList', 'hostAdd', 'hostTrust', 'hostTest', 'hostRemove', 'sessionSync', 'sessionMove',
        'syncTrashList', 'syncTrashRestore',
        'gpuBoard', 'gpuClaim', 'gpuExtend', 'gpuRelease', 'gpuQueueCancel', 'hostPolicyGet', 'hostPolicySet',
        'cloudSettingsGet', 'cloudSettingsSet', 'cloudOptions', 'cloudVmList', 'cloudVmCreate', 'cloudVmStart', 'cloudVmStop',
        'cloudVmResize', 'cloudVmDelete',
        'linkOpen', 'linkPending', 'linkPlan', 'linkConfirm', 'linkCancel', 'sessionOpenCode', 'updateCheck', 'updateRestartCheck', 'updateSourceGet', 'updateSourceSet',
        'clusterList', 'clusterCheck', 'clusterSessionUp', 'clusterSessionList', 'clusterSessionOpen', 'clusterSessionCancel',
        'clusterSessionExtend', 'clusterGpuJobs', 'clusterSessionSync', 'clusterDefaultTarget',
        'on',
      ].sort(),
    );
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.keys(api)).not.toContain('invoke');
    expect(Object.keys(api)).not.toContain('ipcRenderer');
  });

  it('sends each call on its own benchtop: channel and returns the result', async () => {
    await expect(api.settingsGet()).resolves.toEqual({ ok: true });
    expect(sent.at(-1)).toEqual({ channel: 'benchtop:settingsGet', request: undefined });
  });

  it('rethrows an error envelope as an error the renderer decodes to code, message and hint', async () => {
    const error = await api.engineInfo({}).catch((e: unknown) => e);
    expect(decodeError(error)).toEqual({ code: 'ENGINE_UNREACHABLE', message: 'No engine', hint: 'Start Docker' });
  });

  it('subscribes to known events only and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = api.on('pullProgress', (p) => seen.push(p));
    listeners.get('benchtop-event:pullProgress')?.forEach((fn) => fn({}, { bytesDone: 1 }));
    off();
    expect(listeners.get('benchtop-event:pullProgress')).toEqual([]);
    expect(seen).toEqual([{ bytesDone: 1 }]);
    expect(() => api.on('nope' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
