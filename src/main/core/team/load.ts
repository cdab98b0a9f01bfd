import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TeamFile } from '../../../shared/contract/team';
import { BenchtopError, systemCode } from '../errors';
import { parseTeamFile } from './file';

/** Where a project keeps its team file (committed; the rest of .benchtop/ is per-machine and ignored). */
export const PROJECT_TEAM_FILE = join('.benchtop', 'team.json');
const MAX_BYTES = 256 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** The project's `.benchtop/team.json`, or undefined when it has none. */
export async function readProjectTeamFile(projectDir: string): Promise<TeamFile | undefined> {
  const path = join(projectDir, PROJECT_TEAM_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return undefined;
    throw new BenchtopError('TEAM_FILE_INVALID', `${path} cannot be read (${systemCode(error) ?? String(error)}).`, 'Check the file permissions.');
  }
  return parseTeamFile(text, path);
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/**
 * A team file a lead publishes at a URL (https; plain http only on this computer's loopback, for
 * tests and local mirrors), or a path. Size-capped and time-limited: it is a settings file.
 */
export async function readTeamSource(source: string, fetchImpl: typeof fetch = fetch): Promise<TeamFile> {
  if (!/^[a-z]+:\/\//i.test(source)) {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new BenchtopError('TEAM_FILE_INVALID', `The team file ${source} cannot be read (${systemCode(error) ?? String(error)}).`, 'Check the path in Settings (team file), or clear it.');
    }
    return parseTeamFile(text, source);
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new BenchtopError('TEAM_FILE_INVALID', `The team file address ${source} is not a URL.`, 'Use an https:// address, or a file path.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new BenchtopError('TEAM_FILE_INVALID', `The team file address ${source} is not https.`, 'Publish the team file over https (its host list decides which SSH keys are trusted).');
  }
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new BenchtopError('TEAM_FILE_INVALID', `The team file ${source} could not be fetched (${(error as Error).message}).`, 'Check the address and your network, then try again.');
  }
  if (!response.ok) throw new BenchtopError('TEAM_FILE_INVALID', `The team file ${source} answered HTTP ${response.status}.`, 'Check the address with whoever publishes it.');
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) throw new BenchtopError('TEAM_FILE_INVALID', `The team file ${source} is ${body.length} bytes; a team file is at most ${MAX_BYTES}.`, 'Check the address: this is not a team file.');
  return parseTeamFile(body.toString('utf8'), source);
}
