/**
 * The `vscode-remote://` folder URI that attaches VS Code (with the Dev Containers extension) to a
 * running container. An attached container's authority is `attached-container+` and the hex of
 * `{"containerName":"/<name>"}` (Docker's own name, with its leading slash). A container on an SSH
 * host is reached by nesting Remote-SSH's authority after `@`: `ssh-remote+<host>`, where <host>
 * is what `ssh` would be given (an ~/.ssh/config alias, or user@host), or, with a port, the hex of
 * `{"hostName":"user@host -p PORT"}` — VS Code then runs the Dev Containers side on that host,
 * where the engine is local.
 */

export interface SshLocation {
  /** As the user added it: an ssh alias, or `user@host[:port]`. */
  spec: string;
  user: string;
  hostname: string;
  port: number;
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/** The Remote-SSH authority part for a host. */
export function sshAuthority(host: SshLocation): string {
  const alias = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host.spec) ? host.spec : undefined;
  if (alias) return `ssh-remote+${alias}`;
  const login = `${host.user ? `${host.user}@` : ''}${host.hostname}`;
  if (host.port === 22) return `ssh-remote+${login}`;
  return `ssh-remote+${hex(JSON.stringify({ hostName: `${login} -p ${host.port}` }))}`;
}

/** The folder URI for `code --folder-uri`: a container on this computer's engine, or on an SSH host. */
export function attachedContainerUri(containerName: string, folder: string, host?: SshLocation): string {
  const name = containerName.startsWith('/') ? containerName : `/${containerName}`;
  const authority = `attached-container+${hex(JSON.stringify({ containerName: name }))}${host ? `@${sshAuthority(host)}` : ''}`;
  const path = folder.startsWith('/') ? folder : `/${folder}`;
  return `vscode-remote://${authority}${path.split('/').map(encodeURIComponent).join('/')}`;
}
