import { checkCommand } from './check';
import { cloudCommand } from './cloud';
import { codeCommand } from './code';
import { diagnosticsCommand } from './diagnostics';
import { engineCommand } from './engine';
import { forwarderCommand } from './forwarder';
import { gpusCommand } from './gpus';
import { hostCommand } from './host';
import { initCommand } from './init';
import { lockCommand } from './lock';
import { logsCommand } from './logs';
import { moveCommand } from './move';
import { openCommand } from './open';
import { openLinkCommand } from './open-link';
import { pinCommand } from './pin';
import { psCommand } from './ps';
import { pullCommand } from './pull';
import { restartCommand } from './restart';
import { rmCommand } from './rm';
import { stopCommand } from './stop';
import { syncCommand } from './sync';
import { unpinCommand } from './unpin';
import { upCommand } from './up';
import { versionsCommand } from './versions';
import type { Command } from './types';

/** Every `benchtop` command, in the order `--help` lists them. Each lives in its own file. */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  engineCommand,
  upCommand,
  psCommand,
  stopCommand,
  restartCommand,
  rmCommand,
  logsCommand,
  openCommand,
  codeCommand,
  syncCommand,
  moveCommand,
  pullCommand,
  gpusCommand,
  hostCommand,
  cloudCommand,
  initCommand,
  openLinkCommand,
  versionsCommand,
  pinCommand,
  unpinCommand,
  lockCommand,
  forwarderCommand,
  diagnosticsCommand,
];
