import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type Node } from 'jsonc-parser';
import { JSONC_OPTIONS } from './jsonc';

/**
 * Reads and rewrites the `image` value of devcontainer.json in place. Everything outside the value
 * (comments, key order, indentation, line endings) stays byte for byte; the version a digest was
 * pinned from is kept as a comment on the same line, `"image": "repo@sha256:…", // version: 2026.11.2`,
 * so a reviewer sees which release a pin is and `unpin` can restore `repo:2026.11.2`.
 */

/** `// version: X` on its own, or `/* version: X *\/` when other JSON follows on the same line. */
const VERSION_COMMENT = /[ \t]*(?:\/\/[ \t]*version:[ \t]*(\S+)|\/\*[ \t]*version:[ \t]*(\S+?)[ \t]*\*\/)/;

function imageNode(text: string): Node | undefined {
  const root = parseTree(text, [], JSONC_OPTIONS);
  const node = root ? findNodeAtLocation(root, ['image']) : undefined;
  return node?.type === 'string' ? node : undefined;
}

function lineEnd(text: string, from: number): number {
  const eol = text.indexOf('\n', from);
  return eol < 0 ? text.length : eol;
}

/** Where the version comment of the image value is: its span and version, if there is one. */
function findVersionComment(text: string, node: Node): { start: number; end: number; version: string } | undefined {
  const from = node.offset + node.length;
  const rest = text.slice(from, lineEnd(text, from)).replace(/\r$/, '');
  // Only a comment right after the value (and its comma) belongs to it.
  const lead = /^[ \t]*,/.exec(rest)?.[0] ?? '';
  const match = VERSION_COMMENT.exec(rest.slice(lead.length));
  if (!match || match.index !== 0) return undefined;
  const start = from + lead.length;
  return { start, end: start + match[0].length, version: match[1] ?? match[2] };
}

/** The version comment beside `image`, if any. */
export function readPinnedVersion(text: string): string | undefined {
  const node = imageNode(text);
  return node ? findVersionComment(text, node)?.version : undefined;
}

function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * Sets `image` to `image`, with `version` as its comment (or no comment when undefined), touching
 * nothing else. Adds the key when the file has none.
 */
export function writeImage(text: string, image: string, version: string | undefined): string {
  let next = applyEdits(text, modify(text, ['image'], image, { formattingOptions: formattingOf(text) }));
  const node = imageNode(next);
  if (!node) return next;
  const existing = findVersionComment(next, node);
  if (existing) {
    next = next.slice(0, existing.start) + next.slice(existing.end);
  }
  if (version === undefined) return next;
  const from = node.offset + node.length;
  const rest = next.slice(from, lineEnd(next, from)).replace(/\r$/, '');
  const comma = /^[ \t]*,/.exec(rest)?.[0] ?? '';
  const after = rest.slice(comma.length).trim();
  // A line comment would swallow JSON that follows on the same line; use a block comment there.
  const comment = after === '' || after.startsWith('//') ? ` // version: ${version}` : ` /* version: ${version} */`;
  const at = from + comma.length;
  return next.slice(0, at) + comment + next.slice(at);
}
