import type { Command } from './types';

/**
 * A `benchtop` command as the entry knows it: its word, its line in `benchtop --help`, and how to
 * load it. Each command's code (and what it imports) loads only when that command runs or prints
 * its help, so `--version`, `--help` and a wrong command line load none of them.
 */
export interface CommandEntry {
  name: string;
  /** One line for `benchtop --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** Every `benchtop` command, in the order `--help` lists them. Each lives in its own file. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'check', summary: 'Check this computer against a project: OS, CPU, memory, disk, engine, GPUs, ports, proxy',
    load: async () => (await import('./check')).checkCommand },
  { name: 'engine', summary: 'Show which container engine a target uses: endpoint, version, API, storage driver, runtimes',
    load: async () => (await import('./engine')).engineCommand },
  { name: 'up', summary: 'Start the project’s Jupyter session (pull the pinned image, start, wait until ready)',
    load: async () => (await import('./up')).upCommand },
  { name: 'ps', summary: 'List sessions on this computer and on added hosts, with their state',
    load: async () => (await import('./ps')).psCommand },
  { name: 'stop', summary: 'Stop a session (notebooks stay in the project folder)',
    load: async () => (await import('./stop')).stopCommand },
  { name: 'restart', summary: 'Restart a session (fresh kernel state; re-checks the pin and lockfile)',
    load: async () => (await import('./restart')).restartCommand },
  { name: 'rm', summary: 'Remove a session’s container (never the notebooks: they live in the project folder)',
    load: async () => (await import('./rm')).rmCommand },
  { name: 'logs', summary: 'Show a session’s Jupyter log (-f to follow); the token is masked',
    load: async () => (await import('./logs')).logsCommand },
  { name: 'open', summary: 'Open a ready session’s notebook in the browser and print its URL',
    load: async () => (await import('./open')).openCommand },
  { name: 'code', summary: 'Open VS Code attached to a running session’s container',
    load: async () => (await import('./code')).codeCommand },
  { name: 'sync', summary: "Two-way sync of a project's notebooks and lockfile with its volume on a host",
    load: async () => (await import('./sync')).syncCommand },
  { name: 'move', summary: "Move a project's session to a host (or back with `local`), notebooks and all",
    load: async () => (await import('./move')).moveCommand },
  { name: 'pull', summary: 'Pull an image (by digest) with progress; skips what the engine already has',
    load: async () => (await import('./pull')).pullCommand },
  { name: 'gpus', summary: 'The GPU board of a host (holders, expiry, use, queue); claim, extend, release, queue',
    load: async () => (await import('./gpus')).gpusCommand },
  { name: 'host', summary: 'Shared GPU hosts over SSH: add (with host-key trust), trust, test, ls, rm, policy',
    load: async () => (await import('./host')).hostCommand },
  { name: 'cloud', summary: 'GPU VMs on Google Compute Engine: create, config, ls, prices, start, stop, resize, rm',
    load: async () => (await import('./cloud')).cloudCommand },
  { name: 'init', summary: 'Create .devcontainer/devcontainer.json for a project (image, host requirements, Benchtop settings)',
    load: async () => (await import('./init')).initCommand },
  { name: 'open-link', summary: 'Do what a benchtop:// link asks (clone and start a project, or join a team), after you agree',
    load: async () => (await import('./open-link')).openLinkCommand },
  { name: 'versions', summary: 'List the versions of the project\'s image: digest, date, size, pinned / newer / local',
    load: async () => (await import('./versions')).versionsCommand },
  { name: 'pin', summary: 'Pin the project to an image version by digest (the newest when no version is given)',
    load: async () => (await import('./pin')).pinCommand },
  { name: 'unpin', summary: 'Replace the digest pin with the version tag it was pinned from',
    load: async () => (await import('./unpin')).unpinCommand },
  { name: 'lock', summary: 'Compare the project\'s lockfile with the pinned image (status) or a running session (drift)',
    load: async () => (await import('./lock')).lockCommand },
  { name: 'forwarder', summary: 'The background process that keeps host sessions’ notebook URLs answering: status, stop',
    load: async () => (await import('./forwarder')).forwarderCommand },
  { name: 'diagnostics', summary: 'Print what to attach to a help request: versions, the machine check report, the recent log',
    load: async () => (await import('./diagnostics')).diagnosticsCommand },
];
