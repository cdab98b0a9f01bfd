import { badAnswer } from './answer';
import { gpusInTres } from './gres';
import type { SlurmLimits } from './types';

/** The user's associations: account, partition, QOS list, group and per-job TRES caps. */
export function assocCommand(user: string): string {
  return `sacctmgr --noheader --parsable2 show assoc where user=${user} format=Account,Partition,QOS,GrpTRES,MaxTRES`;
}

/** Every QOS with its per-user TRES cap and wall-time cap. */
export const QOS_COMMAND = 'sacctmgr --noheader --parsable2 show qos format=Name,MaxTRESPU,MaxWall';

function rows(text: string, fields: number, what: string): string[][] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const cells = line.split('|');
    if (cells.length !== fields) throw badAnswer(what, `the line "${line}" does not have ${fields} fields`, text);
    return cells;
  });
}

/**
 * The user's limits: accounts and QOS from the associations, the GPU-per-user cap of those QOS
 * (MaxTRESPerUser gres/gpu), and any association GrpTRES gres/gpu cap.
 */
export function parseLimits(user: string, assocText: string, qosText: string): SlurmLimits {
  const assocs = rows(assocText, 5, assocCommand(user));
  const qosRows = rows(qosText, 3, QOS_COMMAND);
  const accounts = [...new Set(assocs.map((a) => a[0]).filter(Boolean))];
  const qos = [...new Set(assocs.flatMap((a) => a[2].split(',')).map((q) => q.trim()).filter(Boolean))];
  const groupCaps = assocs.map((a) => gpusInTres(a[3])).filter((n) => n > 0);
  const qosDetails = qosRows.filter(([name]) => qos.length === 0 || qos.includes(name)).map(([name, maxTresPu, maxWall]) => {
    const cap = gpusInTres(maxTresPu);
    return { name, ...(cap > 0 ? { maxGpusPerUser: cap } : {}), ...(maxWall ? { maxWall } : {}) };
  });
  const caps = qosDetails.map((q) => q.maxGpusPerUser).filter((n): n is number => n !== undefined);
  return {
    accounts,
    qos,
    ...(caps.length ? { maxGpusPerUser: Math.min(...caps) } : {}),
    ...(groupCaps.length ? { groupGpuLimit: Math.min(...groupCaps) } : {}),
    qosDetails,
  };
}
