import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel, LogSink } from './logger';

export const LOG_FILE = 'benchtop.log';

export interface FileSinkOptions {
  level?: LogLevel;
  /** The file is rotated when it grows past this (benchtop.log → benchtop.log.1 → … ). */
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
}

/**
 * Appends lines to `<dir>/benchtop.log`, rotating by size. Writes are synchronous appends: a line is
 * on disk before the next statement runs, so a crash or `process.exit` loses nothing, and O_APPEND
 * keeps lines whole when the app and a CLI write the same folder. The folder and file are made on
 * the first line, not before.
 */
export function rotatingFileSink(dir: string, { level = 'debug', maxBytes = 2 * 1024 * 1024, keep = 3 }: FileSinkOptions = {}): LogSink & { path: string; close(): void } {
  const path = join(dir, LOG_FILE);
  let fd: number | undefined;
  let size = 0;
  const open = () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = openSync(path, 'a', 0o600);
    size = fstatSync(fd).size;
  };
  const rotate = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i -= 1) renameIfThere(`${path}.${i}`, `${path}.${i + 1}`);
    renameIfThere(path, `${path}.1`);
    open();
  };
  return {
    path,
    level,
    write(line) {
      if (fd === undefined) open();
      const bytes = Buffer.from(`${line}\n`);
      if (size > 0 && size + bytes.length > maxBytes) rotate();
      writeSync(fd as number, bytes);
      size += bytes.length;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    // Another process rotated first, or there is no such file yet: nothing to move.
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
}

/** `--verbose`: every line on stderr as well. */
export function stderrSink(level: LogLevel = 'debug', stream: NodeJS.WritableStream = process.stderr): LogSink {
  return { level, write: (line) => void stream.write(`${line}\n`) };
}
