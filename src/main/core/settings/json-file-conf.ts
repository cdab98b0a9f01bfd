import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Settings } from './schema';
import type { ConfLike, ConfOptions } from './store';

/**
 * The settings file as `conf` (and so electron-store, which the app uses) reads and writes it, in
 * a few lines of plain Node: `<cwd>/<configName>.json`, tab-indented JSON, defaults written in on
 * open, read afresh on every access (the app, the CLI and the forwarder share it), replaced
 * atomically on every change. `conf` itself loads a JSON-schema validator and a dozen modules
 * Benchtop never uses, which was most of a short CLI command's start-up.
 * An unparsable file throws, as `conf` does with clearInvalidConfig: false, so the caller backs it up.
 */
export class JsonFileConf implements ConfLike {
  readonly path: string;
  readonly #defaults: Settings;

  constructor(options: ConfOptions) {
    this.path = join(options.cwd, `${options.configName}.json`);
    this.#defaults = options.defaults;
    const fileStore = this.store;
    const withDefaults = { ...this.#defaults, ...fileStore };
    if (!isDeepStrictEqual(fileStore, withDefaults)) this.#write(withDefaults);
  }

  get store(): Partial<Settings> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      mkdirSync(dirname(this.path), { recursive: true });
      return {};
    }
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError(`${this.path} does not hold a JSON object.`);
    return parsed as Partial<Settings>;
  }

  get<K extends keyof Settings>(key: K): Settings[K] {
    const store = this.store;
    return (key in store ? store[key] : this.#defaults[key]) as Settings[K];
  }

  set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    if (value === undefined) throw new TypeError('Use `delete()` to clear values');
    this.#write({ ...this.store, [key]: value });
  }

  /** Write beside, then rename over: a reader (another process) sees the old file or the new one, never half. */
  #write(value: Partial<Settings>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    // node:crypto loaded on write only: a command that just reads settings does not pay for it.
    const temporary = `${this.path}.${process.pid}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(value, undefined, '\t'), { mode: 0o666 });
      renameSync(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}
