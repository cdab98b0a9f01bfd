import type { ImagesInvoke } from '../../../shared/contract/images';
import type { Core } from '../core';
import type { HandlersFor } from './types';

export function imagesHandlers(core: Core): HandlersFor<ImagesInvoke> {
  return {
    imageVersions: ({ dir }) => core.imageVersions.versions(dir),
    imagePin: ({ dir, version }) => core.imageVersions.pin(dir, version),
    imagePinPreview: async ({ dir, version }) => {
      const { configPath, ...pin } = await core.imageVersions.resolvePin(dir, version);
      return { ...pin, lockfile: await core.lockfiles.updateFromImage(configPath, pin.image, { preview: true }) };
    },
    imageUnpin: ({ dir }) => core.imageVersions.unpin(dir),
    imageLocalList: () => core.imageVersions.localList(),
    imageRemoveLocal: ({ ref }) => core.imageVersions.removeLocal(ref),
  };
}
