import { getNodeValue, type Node } from 'jsonc-parser';
import { BenchtopError } from '../errors';
import { nodeAt, positionOf } from './jsonc';

export type Path = (string | number)[];

/** Reads values out of the tree, throwing DEVCONTAINER_INVALID that names the key and its line. */
export class Reader {
  /** Keys read but not applied, said to the user instead of ignored silently. */
  readonly warnings: string[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
    readonly root: Node,
    /** Resolves `${localEnv:…}` and friends in the string values that take them. */
    readonly substitute: (value: string) => string = (value) => value,
  ) {}

  node(path: Path): Node | undefined {
    return nodeAt(this.root, path);
  }

  value(path: Path): unknown {
    const node = this.node(path);
    return node ? (getNodeValue(node) as unknown) : undefined;
  }

  /** `file:line: "key.path"`, as messages name a value. */
  where(path: Path): string {
    const node = this.node(path);
    const line = node ? `:${positionOf(this.text, node.offset).line}` : '';
    const key = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    return `${this.file}${line}: "${key}"`;
  }

  fail(path: Path, problem: string, hint: string, code: 'DEVCONTAINER_INVALID' | 'DEVCONTAINER_UNSUPPORTED' = 'DEVCONTAINER_INVALID'): never {
    throw new BenchtopError(code, `${this.where(path)} ${problem}.`, hint);
  }

  warn(path: Path, problem: string): void {
    this.warnings.push(`${this.where(path)} ${problem}.`);
  }

  string(path: Path): string | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(path, `must be a string, not ${JSON.stringify(v)}`, 'Put the value in double quotes.');
    return v;
  }

  object(path: Path): Record<string, unknown> | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be an object ({ … })', 'See the Dev Containers reference for its shape.');
    return v as Record<string, unknown>;
  }

  integer(path: Path, min: number, max: number, unit: string): number | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(path, `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}, not ${JSON.stringify(v)}`, `Write a number such as ${Math.max(min, 1)}.`);
    }
    return v;
  }
}

