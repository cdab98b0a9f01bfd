import type { LocalImage } from '../../../shared/ipc';

export interface LocalRow {
  /** The name removing this row takes away: a tag, or `repo@sha256:…` for an untagged pull. */
  ref: string;
  imageId: string;
  sizeBytes: number;
  created: string;
}

const inRepository = (ref: string, repository: string) => ref.startsWith(`${repository}:`) || ref.startsWith(`${repository}@`);

/**
 * One row per name of each image (an image pulled by digest has only a digest name), limited to
 * one repository when given. Disk use counts each image once however many names it has.
 */
export function localRows(images: readonly LocalImage[], repository?: string): { rows: LocalRow[]; totalBytes: number } {
  const rows: LocalRow[] = [];
  for (const image of images) {
    const names = image.repoTags.length > 0 ? image.repoTags : image.repoDigests;
    for (const ref of names.length > 0 ? names : [image.id]) {
      if (repository && !inRepository(ref, repository)) continue;
      rows.push({ ref, imageId: image.id, sizeBytes: image.sizeBytes, created: image.created });
    }
  }
  rows.sort((a, b) => b.created.localeCompare(a.created) || a.ref.localeCompare(b.ref));
  const sizes = new Map(rows.map((r) => [r.imageId, r.sizeBytes]));
  return { rows, totalBytes: [...sizes.values()].reduce((sum, n) => sum + n, 0) };
}
