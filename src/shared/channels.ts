/**
 * The runtime lists of the contract's names. The preload and the test bridge build `window.benchtop`
 * from these, and main binds exactly these; the type checks below fail the build when a call is
 * added to the contract but not here (or the other way round).
 */
import type { Channel, EventName } from './ipc';

export const INVOKE_CHANNELS = [
  'appInfo',
  'settingsGet',
  'settingsSet',
  'credentialSet',
  'credentialCheck',
  'credentialRemove',
  'openExternal',
  'diagnostics',
  'engineInfo',
  'machineCheck',
  'projectOpen',
  'projectCreate',
  'projectRecent',
  'projectLockfileStatus',
  'projectDrift',
  'projectChooseFolder',
  'teamSettings',
  'teamJoinHosts',
  'imageVersions',
  'imagePin',
  'imagePinPreview',
  'imageUnpin',
  'imageLocalList',
  'imageRemoveLocal',
  'sessionUp',
  'sessionList',
  'sessionStop',
  'sessionRestart',
  'sessionRemove',
  'sessionLogs',
  'sessionOpen',
  'sessionWatchStats',
  'imagePull',
  'operationCancel',
  'hostList',
  'hostAdd',
  'hostTrust',
  'hostTest',
  'hostRemove',
  'sessionSync',
  'syncTrashList',
  'syncTrashRestore',
  'sessionMove',
  'gpuBoard',
  'gpuClaim',
  'gpuExtend',
  'gpuRelease',
  'gpuQueueCancel',
  'hostPolicyGet',
  'hostPolicySet',
  'cloudSettingsGet',
  'cloudSettingsSet',
  'cloudOptions',
  'cloudVmList',
  'cloudVmCreate',
  'cloudVmStart',
  'cloudVmStop',
  'cloudVmResize',
  'cloudVmDelete',
  'clusterList',
  'clusterCheck',
  'clusterSessionUp',
  'clusterSessionList',
  'clusterSessionOpen',
  'clusterSessionCancel',
  'clusterSessionExtend',
  'clusterGpuJobs',
  'clusterSessionSync',
  'clusterDefaultTarget',
  'linkOpen',
  'linkPending',
  'linkPlan',
  'linkConfirm',
  'linkCancel',
  'sessionOpenCode',
  'updateCheck',
  'updateRestartCheck',
  'updateSourceGet',
  'updateSourceSet',
] as const satisfies readonly Channel[];

export const EVENT_NAMES = [
  'checkResult',
  'pullProgress',
  'sessionState',
  'sessionLog',
  'sessionStats',
  'operationStep',
  'syncProgress',
  'gpuNotice',
  'linkOpened',
  'clusterSessionState',
] as const satisfies readonly EventName[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
export const channelsAreExhaustive: Exhaustive<Channel, (typeof INVOKE_CHANNELS)[number]> = true;
export const eventsAreExhaustive: Exhaustive<EventName, (typeof EVENT_NAMES)[number]> = true;

/** The Electron IPC channel that carries a call. */
export const ipcChannel = (name: Channel): string => `benchtop:${name}`;
export const ipcEventChannel = (name: EventName): string => `benchtop-event:${name}`;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
