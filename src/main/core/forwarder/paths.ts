import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where the per-user forwarder answers: a Unix socket in the settings folder (mode 0700, so only this
 * user can ask it to open ports through their SSH connections), a named pipe on Windows.
 */
export function forwarderSocketPath(settingsDir: string, platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\benchtop-forwarder-${createHash('sha256').update(settingsDir).digest('hex').slice(0, 16)}`;
  return join(settingsDir, 'forwarder.sock');
}
