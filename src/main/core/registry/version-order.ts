/**
 * Orders version tags the way people read them: `2026.11.10` after `2026.11.2`, `v2` after `v1`,
 * `1.0.0-rc1` before `1.0.0`. Numeric parts compare as numbers, the rest as text.
 */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => v.replace(/^v(?=\d)/i, '').split(/[.\-_+]/);
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return y !== undefined && /^\d/.test(y) ? -1 : 1; // "1.0" < "1.0.1", "1.0" > "1.0-rc1"
    if (y === undefined) return /^\d/.test(x) ? 1 : -1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (Number.isNaN(nx) !== Number.isNaN(ny)) {
      return Number.isNaN(nx) ? -1 : 1; // a pre-release word sorts before a number
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Tags that name a moving channel, not a release: never "the newest version" by themselves. */
export function isChannelTag(tag: string): boolean {
  return /^(latest|stable|edge|nightly|main|master|dev)$/i.test(tag);
}
