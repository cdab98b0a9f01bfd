import { describe, expect, it } from 'vitest';
import type { LocalImage } from '../../src/shared/ipc';
import { localRows } from '../../src/renderer/src/lib/local-images';

const image = (id: string, repoTags: string[], repoDigests: string[], sizeBytes: number, created: string): LocalImage => ({
  id,
  repoTags,
  repoDigests,
  sizeBytes,
  created,
});

const images = [
  image('sha256:a', ['reg/team/analysis:2026.11.1', 'reg/team/analysis:stable'], ['reg/team/analysis@sha256:1'], 100, '2026-11-01T00:00:00Z'),
  image('sha256:b', [], ['reg/team/analysis@sha256:2'], 200, '2026-11-02T00:00:00Z'),
  image('sha256:c', ['debian:bookworm'], [], 50, '2026-10-01T00:00:00Z'),
  image('sha256:d', [], [], 10, '2026-09-01T00:00:00Z'),
];

describe('localRows', () => {
  it('gives every tag its own row, digest names only to untagged images, newest first', () => {
    const { rows } = localRows(images, 'reg/team/analysis');
    expect(rows.map((r) => r.ref)).toEqual([
      'reg/team/analysis@sha256:2',
      'reg/team/analysis:2026.11.1',
      'reg/team/analysis:stable',
    ]);
  });
  it('counts each image’s disk once however many names it has', () => {
    expect(localRows(images, 'reg/team/analysis').totalBytes).toBe(300);
  });
  it('without a repository lists everything, an image with no name by its id', () => {
    const { rows, totalBytes } = localRows(images);
    expect(rows.map((r) => r.ref)).toContain('sha256:d');
    expect(rows.map((r) => r.ref)).toContain('debian:bookworm');
    expect(totalBytes).toBe(360);
  });
  it('does not mistake a longer repository name for the project’s', () => {
    const other = [image('sha256:e', ['reg/team/analysis-gpu:1'], [], 5, '2026-11-03T00:00:00Z')];
    expect(localRows(other, 'reg/team/analysis').rows).toEqual([]);
  });
});
