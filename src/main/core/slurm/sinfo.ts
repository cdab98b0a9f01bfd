import { badAnswer } from './answer';
import { gpusInNodeGres } from './gres';
import type { SlurmPartition } from './types';

/** Partition, availability, time limit, node count, GRES, one line per group of alike nodes. */
export const SINFO_COMMAND = "sinfo --noheader --format='%P|%a|%l|%D|%G'";

/**
 * Partitions from SINFO_COMMAND's lines (`gpu*|up|1:00:00|2|gpu:2`). A partition spread over
 * node groups with different GRES comes as several lines and is summed. A line that does not have
 * the five fields is SLURM_BAD_ANSWER (the format was not honoured: not Slurm's sinfo).
 */
export function parseSinfo(text: string, what = SINFO_COMMAND): SlurmPartition[] {
  const byName = new Map<string, SlurmPartition>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split('|');
    if (fields.length !== 5 || !/^\d+$/.test(fields[3])) throw badAnswer(what, `the line "${line}" is not partition|avail|timelimit|nodes|gres`, text);
    const [rawName, available, timeLimit, nodesText, gres] = fields;
    const isDefault = rawName.endsWith('*');
    const name = isDefault ? rawName.slice(0, -1) : rawName;
    const nodes = Number(nodesText);
    const gpus = gres === '(null)' ? { count: 0, types: [] } : gpusInNodeGres(gres);
    const p = byName.get(name) ?? { name, available, timeLimit, nodes: 0, gpus: 0, gpuTypes: [], isDefault };
    p.nodes += nodes;
    p.gpus += gpus.count * nodes;
    for (const t of gpus.types) if (!p.gpuTypes.includes(t)) p.gpuTypes.push(t);
    byName.set(name, p);
  }
  return [...byName.values()];
}
