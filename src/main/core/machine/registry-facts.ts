import type { RegistryService } from '../registry/service';
import { CUDA_LABEL, type RegistryImageFacts } from './image-facts';

/** Reads the pinned image's platforms, compressed size and CUDA label from its registry (manifest and config only). */
export function registryImageFacts(registry: RegistryService): RegistryImageFacts {
  return async (ref, signal) => {
    const resolved = await registry.resolve(ref, { signal });
    const facts: Awaited<ReturnType<RegistryImageFacts>> = {
      // The engine compares os/arch; variants (arm64/v8) do not decide whether a build exists.
      platforms: [...new Set(resolved.platforms.map((p) => `${p.os}/${p.architecture}`))],
      sizeBytes: resolved.sizeBytes,
    };
    const cuda = resolved.config.labels[CUDA_LABEL];
    if (cuda) facts.cudaVersion = cuda;
    return facts;
  };
}
