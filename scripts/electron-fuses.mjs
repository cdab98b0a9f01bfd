// electron-builder afterPack hook: flips Electron's fuses in the packaged app binary, so a user's
// environment or command line cannot turn the installed app into something else:
//   RunAsNode off            ELECTRON_RUN_AS_NODE cannot make the app binary a plain Node.js
//   NodeOptions off          NODE_OPTIONS (e.g. --require) is ignored
//   NodeCliInspect off       --inspect / --inspect-brk open no debugger
//   CookieEncryption on      cookies on disk are encrypted with the OS key store
//   AsarIntegrity on         app.asar is checked against the hash in the binary (macOS, Windows)
//   OnlyLoadAppFromAsar on   the app runs only from app.asar, never from a loose folder beside it
//   FileProtocolExtraPrivileges off   the renderer comes from app://, so file:// needs no privileges
// The `benchtop` command does not need RunAsNode: a source checkout runs the CLI on the system's node
// (bin/benchtop.js), and the installed launchers (build/cli/benchtop, .cmd) start this same binary in
// its command-line mode (`--benchtop-cli -- ARGS`), whose main process runs the CLI bundled in
// app.asar, with no window (src/main/cli-mode/). A second, unfused copy of the binary for the CLI was
// rejected: it adds another Electron binary (well over 100 MB) to every install, must be signed and
// notarized apart, and would be the very Node-with-the-app's-signature this fuse is there to prevent.
// electron-builder imports the hook and calls its `afterPack` export.
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { join } from 'node:path';

/** The fuse wire every packaged Benchtop gets (the unit test asserts it). */
export function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature of an arm64 macOS binary; re-sign it ad hoc.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** The Electron binary inside electron-builder's output folder for one platform. */
export function appBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

/** electron-builder's Arch enum is numeric; @electron/fuses wants the name. */
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

export async function afterPack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  await flipFuses(appBinary(context), fuseConfig(context.electronPlatformName, arch));
}

export default afterPack;
