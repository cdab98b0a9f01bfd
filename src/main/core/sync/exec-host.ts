/**
 * Where the sync's remote side runs its commands and helper process: the part of dockerode's
 * Container that the sync uses (exec with stdio, an archive of a path). A session container, a
 * sync helper container, or a folder on an SSH machine (ssh-folder-host.ts) all fit it, so the
 * listing, hashing, applying, downloads and trash work the same against a volume and a folder.
 */
export interface ExecHost {
  /** Stable while the place exists (a container id; for a folder, host and path): keys the kept helper processes. */
  readonly id: string;
  /** Splits an exec's stream into stdout and stderr (Docker multiplexes them; SSH keeps them apart). */
  readonly modem: { demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void };
  exec(options: { Cmd: string[]; AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; User?: string }): Promise<ExecHandle>;
  /** A tar of `path` (its last segment as the top entry); rejects with `statusCode: 404` when it does not exist. */
  getArchive(options: { path: string }): Promise<NodeJS.ReadableStream>;
}

export interface ExecHandle {
  start(options: { hijack: boolean; stdin: boolean }): Promise<NodeJS.ReadWriteStream>;
  inspect(): Promise<{ Running?: boolean; ExitCode?: number | null }>;
}
