import { engineCommand } from './engine';
import type { Command } from './types';

/** Every `benchtop` command, in the order `--help` lists them. Each lives in its own file. */
export const COMMANDS: readonly Command[] = [engineCommand];
