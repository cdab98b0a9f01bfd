import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPinnedVersion, writeImage } from '../../src/main/core/project/image-edit';
import { parseDevcontainer } from '../../src/main/core/project/devcontainer';
import { FIXTURES_DIR_FOR_UNIT as FIXTURES } from './fixtures-dir';

const D = `sha256:${'b'.repeat(64)}`;
const REPO = '127.0.0.1:5000/team/analysis';

/** Pins a file written with `repo:version`, checks what changed, unpins, and expects the original bytes. */
function roundTrip(original: string, version: string): string {
  const pinned = writeImage(original, `${REPO}@${D}`, version);
  expect(readPinnedVersion(pinned)).toBe(version);
  expect(parseDevcontainer(pinned, 'devcontainer.json').image).toBe(`${REPO}@${D}`);
  const back = writeImage(pinned, `${REPO}:${version}`, undefined);
  expect(back).toBe(original);
  return pinned;
}

describe('pinning edits devcontainer.json in place', () => {
  it('round-trips the basic fixture byte for byte, changing only the image line', async () => {
    const fixture = await readFile(join(FIXTURES, 'basic', '.devcontainer', 'devcontainer.json'), 'utf8');
    const original = writeImage(fixture, `${REPO}:2026.11.2`, undefined);
    // Unpinning the fixture touched only its image line.
    const diff = (a: string, b: string) => a.split('\n').map((line, i) => (line === b.split('\n')[i] ? null : i)).filter((i) => i !== null);
    expect(diff(fixture, original)).toEqual([7]);
    expect(original.split('\n')[7]).toBe(`    "image":   "${REPO}:2026.11.2",`);
    const pinned = roundTrip(original, '2026.11.2');
    expect(diff(original, pinned)).toEqual([7]);
    expect(pinned.split('\n')[7]).toBe(`    "image":   "${REPO}@${D}", // version: 2026.11.2`);
  });

  it('replaces an existing version comment instead of adding a second one', () => {
    const text = `{\n  "image": "${REPO}@sha256:${'c'.repeat(64)}", // version: 2026.11.1\n  "name": "x"\n}\n`;
    const next = writeImage(text, `${REPO}@${D}`, '2026.11.2');
    expect(next).toBe(`{\n  "image": "${REPO}@${D}", // version: 2026.11.2\n  "name": "x"\n}\n`);
  });

  it('uses a block comment when more JSON follows on the same line', () => {
    const original = `{"name":"one-line","image":"${REPO}:1.0","forwardPorts":[1]}`;
    const pinned = roundTrip(original, '1.0');
    expect(pinned).toBe(`{"name":"one-line","image":"${REPO}@${D}", /* version: 1.0 */"forwardPorts":[1]}`);
  });

  it('handles the image as the last key (no comma), CRLF line ends and tabs', () => {
    const pinned = roundTrip(`{\r\n\t"name": "x",\r\n\t"image": "${REPO}:2"\r\n}\r\n`, '2');
    expect(pinned).toBe(`{\r\n\t"name": "x",\r\n\t"image": "${REPO}@${D}" // version: 2\r\n}\r\n`);
  });

  it('keeps a comment the user wrote after the image', () => {
    const pinned = roundTrip(`{\n  "image": "${REPO}:3", // the team image, ask #data-platform\n  "name": "x"\n}\n`, '3');
    expect(pinned).toContain(`"${REPO}@${D}", // version: 3 // the team image, ask #data-platform`);
  });

  it('adds "image" when the file has none, keeping the rest', () => {
    const original = '// my project\n{\n    "name": "x" // name\n}\n';
    const next = writeImage(original, `${REPO}@${D}`, '4');
    expect(next.startsWith('// my project\n{\n    "name": "x"')).toBe(true);
    expect(parseDevcontainer(next, 'f').image).toBe(`${REPO}@${D}`);
    expect(readPinnedVersion(next)).toBe('4');
  });

  it('reads a version comment only when it sits right after the image value', () => {
    expect(readPinnedVersion(`{ "image": "x@${D}" /* version: 7 */ }`)).toBe('7');
    expect(readPinnedVersion(`{ "image": "x@${D}",\n // version: 7\n "name": "y" }`)).toBeUndefined();
    expect(readPinnedVersion(`{ "image": "x@${D}", "name": "y" } // version: 7`)).toBeUndefined();
  });
});
