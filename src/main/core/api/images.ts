import type { ImagesInvoke } from '../../../shared/contract/images';
import type { Core } from '../core';
import { notImplemented } from './not-implemented';
import type { HandlersFor } from './types';

export function imagesHandlers(_core: Core): HandlersFor<ImagesInvoke> {
  return {
    imageVersions: notImplemented('imageVersions'),
    imagePin: notImplemented('imagePin'),
    imageUnpin: notImplemented('imageUnpin'),
    imageLocalList: notImplemented('imageLocalList'),
    imageRemoveLocal: notImplemented('imageRemoveLocal'),
  };
}
