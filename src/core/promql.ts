/**
 * Just enough PromQL lexing to find the metric names of an expression and the function each
 * selector is handed to, so tests can check names against the metric catalog and catch
 * `rate()` over a gauge or a bare counter. Syntax errors are promtool's job, not this module's.
 */

/** A metric selector found in an expression. */
export interface SelectorUse {
  /** Metric name, e.g. `node_cpu_seconds_total`. */
  readonly name: string;
  /**
   * The function or aggregation the selector is a direct argument of (`rate`, `sum`...), or
   * `undefined` at top level or inside plain grouping parentheses.
   */
  readonly directFunction: string | undefined;
}

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: '(' | ')' | 'matchers' | 'range' | 'other' };

/** Keywords that may stand where an identifier could, and are never metric names. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'atan2', 'inf', 'nan']);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const IDENT = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
// Numbers, including exponents (1e6), hex, and durations after `offset` (5m, 1h30m).
const NUMBER = /^(?:0x[0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*)/;

/** Index just past the `close` that balances the `open` at `start`, skipping quoted strings. */
function skipBalanced(expr: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i) - 1;
    } else if (c === open) {
      depth++;
    } else if (c === close && --depth === 0) {
      return i + 1;
    }
  }
  throw new Error(`unbalanced '${open}' at ${start} in: ${expr}`);
}

/** Index just past the string literal starting at `start`. */
function skipString(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i++) {
    if (expr[i] === '\\' && quote !== '`') i++;
    else if (expr[i] === quote) return i + 1;
  }
  throw new Error(`unterminated string at ${start} in: ${expr}`);
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    const rest = expr.slice(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      const eol = expr.indexOf('\n', i);
      i = eol < 0 ? expr.length : eol;
    } else if (c === '{') {
      i = skipBalanced(expr, i, '{', '}');
      tokens.push({ kind: 'matchers' });
    } else if (c === '[') {
      i = skipBalanced(expr, i, '[', ']');
      tokens.push({ kind: 'range' });
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
      tokens.push({ kind: 'other' });
    } else if (NUMBER.test(rest)) {
      i += (NUMBER.exec(rest) as RegExpExecArray)[0].length;
      tokens.push({ kind: 'other' });
    } else if (IDENT.test(rest)) {
      const text = (IDENT.exec(rest) as RegExpExecArray)[0];
      i += text.length;
      tokens.push({ kind: 'ident', text });
    } else {
      i++;
      tokens.push({ kind: 'other' });
    }
  }
  return tokens;
}

function isKeyword(token: Token | undefined, set: ReadonlySet<string> = KEYWORDS): boolean {
  return token?.kind === 'ident' && set.has(token.text.toLowerCase());
}

/** Index just past the `)` that balances the `(` token at `start`. */
function skipParenTokens(tokens: readonly Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    if (tokens[i].kind === '(') depth++;
    else if (tokens[i].kind === ')' && --depth === 0) return i + 1;
  }
  throw new Error('unbalanced parentheses');
}

/**
 * Every metric selector of a PromQL expression, with the function it is directly passed to.
 * Grafana variables must be substituted first (see `substituteVariables`).
 */
export function selectorUses(expr: string): SelectorUse[] {
  const tokens = tokenize(expr);
  const uses: SelectorUse[] = [];
  // One entry per open parenthesis: the function or aggregation it belongs to, if any.
  const calls: (string | undefined)[] = [];
  // The aggregation whose body comes after a `by (...)` / `without (...)` clause.
  let pendingAggregation: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token.kind === 'ident' && LABEL_LIST_KEYWORDS.has(token.text.toLowerCase())) {
      // `by (host, mode)` and friends: label names, not metrics.
      if (next?.kind === '(') i = skipParenTokens(tokens, i + 1) - 1;
    } else if (token.kind === 'ident' && !isKeyword(token)) {
      if (next?.kind === '(') continue; // function call: the '(' below records it
      if (isKeyword(next, new Set(['by', 'without']))) {
        pendingAggregation = token.text; // `sum by (x) (...)`
        continue;
      }
      uses.push({ name: token.text, directFunction: calls[calls.length - 1] });
    } else if (token.kind === '(') {
      const previous = tokens[i - 1];
      if (previous?.kind === 'ident' && !isKeyword(previous)) {
        calls.push(previous.text);
      } else if (pendingAggregation !== undefined && previous?.kind === ')') {
        calls.push(pendingAggregation);
      } else {
        calls.push(undefined);
      }
      pendingAggregation = undefined;
    } else if (token.kind === ')') {
      calls.pop();
    }
  }
  return uses;
}

/** The metric names an expression reads, without duplicates. */
export function metricNames(expr: string): string[] {
  return [...new Set(selectorUses(expr).map((u) => u.name))];
}
