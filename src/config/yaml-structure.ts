import { Document, isAlias, isCollection, isScalar, isSeq, LineCounter, Node, Scalar, visit, YAMLError } from 'yaml';
import { describeValue } from '../core/errors';
import { Position } from './locate';

/**
 * Problems of a fleet file's YAML itself, found on the parsed document before it is turned into
 * data, each at its own place: syntax errors (an unclosed quote at the quote that opens it), raw
 * control characters, a second document, unresolved or recursive aliases, merge keys, collections
 * used as keys, unknown tags. Converting such a document would otherwise fail without a position
 * ("Converting circular structure to JSON"), print a library warning, or silently change meaning.
 */

/** A YAML problem with its place, before the file name is added. */
export interface YamlProblem extends Position {
  readonly found: string;
  readonly allowed: string;
}

function at(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** The first character YAML does not allow raw in a file (YAML 1.2, 5.1), e.g. ESC or DEL. */
export function controlCharacterProblem(text: string, lines: LineCounter): YamlProblem | undefined {
  // Tab, LF, CR and NEL are allowed; other C0 and C1 controls, DEL and U+FFFE/U+FFFF are not.
  // eslint-disable-next-line no-control-regex
  const match = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.exec(text);
  if (!match) return undefined;
  const code = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    ...at(lines, match.index),
    found: `the control character ${code}`,
    allowed: 'printable text: write control characters as escapes inside double quotes (e.g. "\\t"), or remove them',
  };
}

/** Where the quoted scalar that an "unclosed quote" error is about begins. */
function openingQuote(doc: Document, error: YAMLError): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      // The unclosed scalar runs to where the error is reported (the end of the input).
      if (quoted && node.range && node.range[1] >= error.pos[0] && (start === undefined || node.range[0] < start)) start = node.range[0];
    },
  });
  return start;
}

/** A syntax error of `yaml`, in the fleet file's words. */
export function syntaxProblem(doc: Document, error: YAMLError, lines: LineCounter): YamlProblem {
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'MISSING_CHAR' && /quote/.test(message)) {
    const start = openingQuote(doc, error);
    if (start !== undefined) {
      const quote = /"/.test(message) ? '"' : "'";
      return { ...at(lines, start), found: `a ${quote === '"' ? 'double' : 'single'}-quoted string that is never closed`, allowed: `a closing ${quote} that ends the string` };
    }
  }
  if (error.code === 'DUPLICATE_KEY') {
    const key = keyAt(doc, error.pos[0]);
    if (key !== undefined) {
      return { ...at(lines, error.pos[0]), found: `the key ${describeValue(key)} a second time in one mapping`, allowed: 'each key once per mapping: remove or merge the repeated one' };
    }
  }
  return { ...at(lines, error.pos[0]), found: 'invalid YAML', allowed: `YAML syntax (${message})` };
}

/** The value of the scalar key that starts at `offset`, if any. */
function keyAt(doc: Document, offset: number): unknown {
  let found: unknown;
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = pair.key.value;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** A second `---` document: a fleet file holds exactly one. */
export function extraDocumentProblem(doc: Document, lines: LineCounter): YamlProblem {
  return {
    ...at(lines, doc.range?.[0] ?? 0),
    found: 'a second YAML document (after "---")',
    allowed: 'one document per fleet file: remove the "---" line and merge the two, or split them into two fleet files',
  };
}

/** How a collection reads in a message. */
function kindOf(node: Node): string {
  return isSeq(node) ? 'a list' : 'a mapping';
}

/**
 * Aliases, merge keys, collection keys and unresolved tags of `doc`, in source order. Run before
 * `toJS`: these are what make converting fail, warn on stderr, or change the data unseen.
 */
export function structureProblems(doc: Document, lines: LineCounter): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Alias(_key, node) {
      const offset = node.range?.[0] ?? 0;
      const target = node.resolve(doc);
      if (target === undefined) {
        problems.push({
          ...at(lines, offset),
          found: `the alias *${node.source}, but no anchor &${node.source} comes before it`,
          allowed: 'an alias to an anchor defined earlier in the file',
        });
      } else if (target.range && node.range && target.range[0] <= node.range[0] && node.range[1] <= target.range[1]) {
        const anchor = at(lines, target.range[0]);
        problems.push({
          ...at(lines, offset),
          found: `the alias *${node.source} inside the value it refers to (the value of &${node.source}, from ${anchor.line}:${anchor.column}): a recursive alias`,
          allowed: 'aliases to values that do not contain them',
        });
      }
    },
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (isScalar(key) && key.value === '<<' && key.type === Scalar.PLAIN) {
        problems.push({
          ...at(lines, key.range?.[0] ?? 0),
          found: 'a YAML merge key "<<"',
          allowed: 'plain keys: merge keys are not supported (YAML 1.2 dropped them); write the keys out, or put shared settings under "defaults"',
        });
      } else if (key !== null && isCollection(key)) {
        problems.push({ ...at(lines, key.range?.[0] ?? 0), found: `${kindOf(key)} used as a key`, allowed: 'a plain key such as "name"' });
      } else if (isAlias(key)) {
        problems.push({ ...at(lines, key.range?.[0] ?? 0), found: `the alias *${key.source} used as a key`, allowed: 'a plain key such as "name"' });
      }
    },
  });
  for (const warning of doc.warnings) {
    // yaml's warnings (an unresolved tag such as "!secret") become problems instead of stderr noise.
    const message = warning.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const tag = /^Unresolved tag: (\S+)/.exec(message)?.[1];
    problems.push({
      ...at(lines, warning.pos[0]),
      found: tag === undefined ? `a YAML warning: ${describeValue(message)}` : `the tag ${describeValue(tag)}`,
      allowed: 'plain YAML without custom tags (a value such as "!tag x" is not supported)',
    });
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
