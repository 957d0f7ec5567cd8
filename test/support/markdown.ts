/**
 * Just enough Markdown reading for the docs tests: headings and their GitHub anchors, links, and
 * table rows, with fenced code blocks and inline code left out (a `[x](y)` in code is no link).
 */

/** One line of a Markdown file outside fenced code, with its 1-based number. */
export interface ProseLine {
  readonly line: number;
  readonly text: string;
}

/** The lines outside fenced code blocks (``` or ~~~). */
export function proseLines(markdown: string): ProseLine[] {
  const lines: ProseLine[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker[0];
      else if (marker[0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) lines.push({ line: index + 1, text });
  });
  return lines;
}

/** A heading: its level, its text as written, and the anchor GitHub gives it. */
export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
  readonly line: number;
}

/** GitHub's anchor for a heading's text (before de-duplication): lower case, punctuation dropped, spaces to "-". */
export function githubSlug(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .split(/(`+[^`]*`+)/) // inline code keeps its text; HTML tags elsewhere are dropped
    .map((part) => (part.startsWith('`') ? part : part.replace(/<[^>]+>/g, '')))
    .join('')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The ATX headings (`#` to `######`) of a file, with GitHub's anchors, duplicates numbered `-1`, `-2`... */
export function headings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const found: Heading[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const match = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text);
    if (match === null) continue;
    const slug = githubSlug(match[2]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.push({ level: match[1].length, text: match[2], anchor: count === 0 ? slug : `${slug}-${count}`, line });
  }
  return found;
}

/** A link or image target as written, where it stands. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images `[text](target "title")`, and reference definitions `[x]: target`, outside code. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const prose = text.replace(/(`+)[\s\S]*?\1/g, ''); // inline code
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: match[1], line });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(prose);
    if (definition !== null) found.push({ target: definition[1], line });
  }
  return found;
}

/** The cells of a table row (`| a | b |`), trimmed; undefined for a line that is no row or is the separator. */
export function tableCells(text: string): string[] | undefined {
  if (!/^\s*\|.*\|\s*$/.test(text) || /^\s*\|[\s:|-]+\|\s*$/.test(text)) return undefined;
  return text.trim().slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim());
}
