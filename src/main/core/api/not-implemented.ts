import { BenchtopError } from '../errors';

/** Placeholder for a call whose service is still being built; replaced as each domain lands. */
export function notImplemented(name: string): () => never {
  return () => {
    throw new BenchtopError('NOT_IMPLEMENTED', `${name} is not available in this build yet.`, '');
  };
}
