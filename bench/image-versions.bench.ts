/**
 * "Which versions of our image exist, and what is each one?" for a repository with many tags:
 *   - Benchtop: `imageVersions` (tags over Link pagination, each tag's digest, date, version label
 *     and size, 4 requests in flight, configs fetched once per digest), a fresh Core per run (cold);
 *   - plain: the same answers with curl + jq, one request after another, as a script would.
 * Goal: <= 1.0x (the parallel client should not be slower than curl).
 *
 *   node --import tsx bench/image-versions.bench.ts [runs] [tags]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pushTinyImage, tag } from '../test/registry/push';
import { benchCore } from './support/project';
import { compare, report } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 5);
const tagCount = Number(process.argv[3] ?? 40);
const HOST = process.env.BENCH_REGISTRY ?? '127.0.0.1:5000';

/** Lists tags page by page, then reads each tag's manifest digest and config (created, version). */
const CURL_SCRIPT = `
set -euo pipefail
base="$1"; repo="$2"; next="/v2/$repo/tags/list?n=100"; tags=""
while [ -n "$next" ]; do
  hdr=$(mktemp)
  tags="$tags $(curl -sf -D "$hdr" "$base$next" | jq -r '.tags[]')"
  next=$(grep -i '^link:' "$hdr" | sed -E 's/^[^<]*<([^>]+)>.*/\\1/' | tr -d '\\r' || true)
  rm -f "$hdr"
done
accept='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
for t in $tags; do
  hdr=$(mktemp)
  manifest=$(curl -sf -D "$hdr" -H "Accept: $accept" "$base/v2/$repo/manifests/$t")
  digest=$(grep -i '^docker-content-digest:' "$hdr" | awk '{print $2}' | tr -d '\\r'); rm -f "$hdr"
  config=$(jq -r '.config.digest' <<<"$manifest")
  size=$(jq '[.config.size] + [.layers[].size] | add' <<<"$manifest")
  info=$(curl -sf "$base/v2/$repo/blobs/$config" | jq -r '[.created, .config.Labels["org.opencontainers.image.version"] // ""] | @tsv')
  echo "$t $digest $size $info"
done
`;

async function main(): Promise<void> {
  const repository = `bt-bench-${randomBytes(4).toString('hex')}/analysis`;
  const target = { base: `http://${HOST}`, repository };
  // Three images, as a real repository has several versions; the tags spread over them.
  const images = [];
  for (let i = 0; i < 3; i += 1) images.push(await pushTinyImage(target, { created: `2026-11-0${i + 1}T00:00:00Z`, labels: { 'org.opencontainers.image.version': `2026.11.${i}` } }));
  const tags = Array.from({ length: tagCount }, (_, i) => `2026.11.${i}`);
  for (let i = 0; i < tags.length; i += 1) await tag(target, images[i % images.length], [tags[i]]);
  process.stderr.write(`${tagCount} tags of ${HOST}/${repository} (3 distinct images)\n`);

  const dir = mkdtempSync(join(tmpdir(), 'bt-bench-versions-'));
  mkdirSync(join(dir, '.devcontainer'));
  writeFileSync(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ image: `${HOST}/${repository}:${tags[0]}` }));

  let listed = 0;
  const result = await compare(
    `image versions: ${tagCount} tags with digest, date, label and size`,
    {
      name: 'benchtop',
      run: async () => {
        const core = benchCore();
        listed = (await core.imageVersions.versions(dir)).versions.length;
        await core.close();
      },
    },
    { name: 'curl + jq', run: async () => void (await run('bash', ['-c', CURL_SCRIPT, 'bench', target.base, repository], { maxBuffer: 1 << 24 })) },
    runs,
    1.0,
  );
  if (listed !== tagCount) throw new Error(`Benchtop listed ${listed} versions, expected ${tagCount}`);
  report(result, 'curl + jq (sequential)');
  for (const image of images) await fetch(`${target.base}/v2/${repository}/manifests/${image.digest}`, { method: 'DELETE' }).catch(() => undefined);
}

await main();
