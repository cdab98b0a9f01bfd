import type { EngineService } from '../engine/service';
import { normalizeArch } from '../engine/service';
import { toErrorInfo } from '../errors';
import { withTimeout } from '../timeout';
import type { ImageFacts } from './types';

export const IMAGE_FACTS_TIMEOUT_MS = 3000;

/** The CUDA version an image is built for, from its `dev.benchtop.cuda` label. */
export const CUDA_LABEL = 'dev.benchtop.cuda';

/** Reads what a remote registry knows about an image (platforms, size, labels); the registry service supplies it. */
export type RegistryImageFacts = (ref: string, signal: AbortSignal) => Promise<Pick<ImageFacts, 'platforms' | 'sizeBytes' | 'cudaVersion'>>;

/**
 * Facts about the pinned image: from the local engine when the image is already here (exact
 * platform, unpacked size, labels), else from the registry when a reader is plugged in.
 */
export async function gatherImageFacts(
  engines: EngineService,
  ref: string,
  registry: RegistryImageFacts | undefined,
  timeoutMs = IMAGE_FACTS_TIMEOUT_MS,
): Promise<ImageFacts> {
  try {
    const image = await engines.call('local', 'inspect image', (d) => d.getImage(ref).inspect(), timeoutMs);
    const facts: ImageFacts = {
      ref,
      present: true,
      platforms: [`${image.Os}/${normalizeArch(image.Architecture)}`],
      sizeBytes: image.Size,
      source: 'local engine',
    };
    const cuda = image.Config?.Labels?.[CUDA_LABEL];
    if (cuda) facts.cudaVersion = cuda;
    return facts;
  } catch (error) {
    const info = toErrorInfo(error);
    if (info.code !== 'NOT_FOUND') return { ref, present: false, source: 'local engine', problem: info.message };
  }
  if (!registry) return { ref, present: false, source: 'local engine', problem: 'the image is not on this computer yet' };
  try {
    const facts = await withTimeout(registry(ref, AbortSignal.timeout(timeoutMs)), timeoutMs);
    return { ...facts, ref, present: false, source: 'registry' };
  } catch (error) {
    const info = toErrorInfo(error);
    return { ref, present: false, source: 'registry', problem: info.message, code: info.code };
  }
}
