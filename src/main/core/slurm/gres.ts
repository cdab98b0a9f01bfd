/**
 * GPU indexes from `gres_detail` entries: `gpu:2(IDX:0-1)`, `gpu:a100:1(IDX:3)`, `gpu(IDX:0,2-3)`.
 * Anything that is not a GPU (other GRES) is skipped; an entry without IDX gives none.
 */
export function gpuIdsFromGresDetail(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  const ids: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string' || !/^gpu\b/.test(entry)) continue;
    const idx = /IDX:([^)]*)\)/.exec(entry)?.[1];
    if (idx) ids.push(...expandIndexList(idx));
  }
  return ids;
}

/** `0-2,5` → ['0','1','2','5']; anything malformed is left out. */
export function expandIndexList(list: string): string[] {
  const out: string[] = [];
  for (const part of list.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) continue;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    for (let i = from; i <= to && i - from < 1024; i++) out.push(String(i));
  }
  return out;
}

/** The GPU count in a TRES string (`cpu=1,mem=1G,gres/gpu=2` or `gres/gpu:a100=2`); 0 when none. */
export function gpusInTres(tres: unknown): number {
  if (typeof tres !== 'string') return 0;
  let total = 0;
  for (const part of tres.split(',')) {
    const m = /^gres\/gpu(?::[^=]+)?=(\d+)$/.exec(part.trim());
    // A typed entry repeats the untyped total; count the untyped one when both are there.
    if (m && !part.includes(':')) return Number(m[1]);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** The GPU count in a node's GRES (`gpu:2`, `gpu:a100:4(S:0-1)`, `gpu:tesla:2,mps:100`); 0 when none. */
export function gpusInNodeGres(gres: string): { count: number; types: string[] } {
  let count = 0;
  const types: string[] = [];
  for (const part of gres.split(/,(?![^(]*\))/)) {
    const m = /^gpu(?::([A-Za-z0-9_.-]+))?:(\d+)/.exec(part.trim());
    if (!m) continue;
    count += Number(m[2]);
    if (m[1]) types.push(m[1]);
  }
  return { count, types };
}
