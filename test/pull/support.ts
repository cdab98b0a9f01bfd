/** The pull tests make their own images (random layers) with the bench helper, against the test engine. */
import * as made from '../../bench/support/unique-image';
import { docker, env } from '../session/support';

export type { UniqueImage } from '../../bench/support/unique-image';

export function pushUniqueImage(name: string, layers: number, layerBytes: number, registry = env().registry, login?: made.Login): Promise<made.UniqueImage> {
  return made.pushUniqueImage(docker, registry, name, layers, layerBytes, login);
}

export function removeLocal(ref: string): Promise<void> {
  return made.removeLocal(docker, ref);
}

export const deleteFromRegistry = made.deleteFromRegistry;
