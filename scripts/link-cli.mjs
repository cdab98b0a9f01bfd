// `npm run link-cli`: puts the `benchtop` command of this source checkout on PATH without root —
// builds the CLI bundle and links bin/benchtop.js as ~/.local/bin/benchtop (or $BENCHTOP_LINK_DIR).
// `npm link` does the same through npm's global folder, when that is writable.
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.platform === 'win32') {
  console.error('link-cli: on Windows, run `npm link` in this folder (npm writes the benchtop.cmd shim).');
  process.exit(1);
}
const dir = process.env.BENCHTOP_LINK_DIR || join(homedir(), '.local', 'bin');
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const target = join(root, 'bin', 'benchtop.js');
const link = join(dir, 'benchtop');
mkdirSync(dir, { recursive: true });
try {
  if (lstatSync(link).isSymbolicLink()) rmSync(link);
  else {
    console.error(`link-cli: ${link} exists and is not a link; remove it first.`);
    process.exit(1);
  }
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
chmodSync(target, 0o755);
symlinkSync(target, link);
console.log(`link-cli: ${link} -> ${target}`);
if (!(process.env.PATH ?? '').split(delimiter).includes(dir)) {
  console.log(`link-cli: ${dir} is not on your PATH; add it (e.g. export PATH="${dir}:$PATH" in ~/.profile).`);
}
