// Before `npm start`: npm packages installed, and the Electron runtime present. Electron 45 downloads
// its binary on first use (not at npm install), so this is where that happens, with a clear message
// when the download is impossible.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deps = spawnSync('bash', [join(root, 'scripts/ensure-deps.sh')], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(deps.status ?? 1);

const electronDir = join(root, 'node_modules/electron');
const pathFile = join(electronDir, 'path.txt');
const present = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
if (!present()) {
  console.log('Benchtop: downloading the Electron runtime (once)…');
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (fetched.status !== 0 || !present()) {
    console.error(`
Benchtop could not download the Electron runtime, which the desktop app needs.
  fix: check the internet connection (or proxy settings) and run \`npm start\` again;
       set ELECTRON_MIRROR to use a mirror. The command-line tool works without it: \`npx benchtop --help\`.`);
    process.exit(1);
  }
}
