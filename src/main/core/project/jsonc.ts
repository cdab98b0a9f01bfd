import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { BenchtopError } from '../errors';

/** devcontainer.json is JSON with comments and trailing commas (the spec's "jsonc"). */
export const JSONC_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of an offset, as editors show them. */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const EXPECTED: Record<string, string> = {
  InvalidSymbol: 'a JSON value or a comment, not this symbol',
  InvalidNumberFormat: 'a number',
  PropertyNameExpected: 'a property name in double quotes',
  ValueExpected: 'a value',
  ColonExpected: 'a ":" after the property name',
  CommaExpected: 'a "," between entries',
  CloseBraceExpected: 'a "}" to close the object',
  CloseBracketExpected: 'a "]" to close the list',
  EndOfFileExpected: 'the end of the file after the top-level object',
  InvalidCommentToken: 'a comment',
  UnexpectedEndOfComment: 'the comment to be closed with "*/"',
  UnexpectedEndOfString: 'the string to be closed with a double quote',
  UnexpectedEndOfNumber: 'more digits',
  InvalidUnicode: 'a valid \\u escape',
  InvalidEscapeCharacter: 'a valid escape after "\\"',
  InvalidCharacter: 'a printable character (control characters must be escaped)',
};

/** Parses JSONC into a tree; syntax errors become DEVCONTAINER_INVALID naming file, line, column and what was expected. */
export function parseJsoncTree(text: string, file: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, JSONC_OPTIONS);
  if (errors.length > 0) {
    const first = errors[0];
    const { line, column } = positionOf(text, first.offset);
    const name = printParseErrorCode(first.error);
    throw new BenchtopError(
      'DEVCONTAINER_INVALID',
      `${file}:${line}:${column}: expected ${EXPECTED[name] ?? name}.`,
      `Fix the JSON at line ${line}, column ${column} (comments and trailing commas are allowed).`,
    );
  }
  if (!root || root.type !== 'object') {
    throw new BenchtopError('DEVCONTAINER_INVALID', `${file}: the file must hold one JSON object ({ … }).`,
      'Start from `benchtop init` in an empty folder to see a working devcontainer.json.');
  }
  return root;
}

/** Where a key sits, for messages that point the user at the offending line. */
export function nodeAt(root: Node, path: (string | number)[]): Node | undefined {
  return findNodeAtLocation(root, path);
}
