import type { GpuNotice } from '../../../shared/contract/hosts';
import { ownerFromLabels, type Owner } from '../identity/owner';

/**
 * What a host's agent tells holders, as volumes labelled with the notice (volumes need no image):
 * a warning a few minutes before an expiry or an idle stop, the stop itself (kept a day), a card in
 * use without a lease. Clients read them and notify the holder once. Written only by the agent
 * (src/target-agent/agent.py, same label names: never rename).
 */
export const NOTICE_LABEL = 'dev.benchtop.notice';
export const NOTICE_LABELS = {
  kind: 'dev.benchtop.notice.kind',
  session: 'dev.benchtop.notice.session',
  gpu: 'dev.benchtop.notice.gpu',
  at: 'dev.benchtop.notice.at',
  message: 'dev.benchtop.notice.message',
} as const;

const KINDS = ['lease-expiry', 'idle-stop', 'stopped', 'unleased-use'] as const;

export function noticeFromLabels(target: string, labels: Record<string, string> | null | undefined, me?: Owner): GpuNotice | null {
  const kind = labels?.[NOTICE_LABELS.kind] as GpuNotice['kind'] | undefined;
  if (!labels || labels[NOTICE_LABEL] !== '1' || !kind || !KINDS.includes(kind)) return null;
  const owner = ownerFromLabels(labels);
  const at = Number(labels[NOTICE_LABELS.at]);
  return {
    target,
    kind,
    sessionId: labels[NOTICE_LABELS.session] || undefined,
    gpu: labels[NOTICE_LABELS.gpu] || undefined,
    at: new Date(Number.isFinite(at) ? at * 1000 : 0).toISOString(),
    message: labels[NOTICE_LABELS.message] ?? '',
    mine: !!me && owner?.id === me.id,
  };
}
