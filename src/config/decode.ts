import { FleetConfigError } from './problems';

/**
 * Turns the bytes of a fleet file into text, or says precisely why they are not a fleet file: a
 * UTF-16 or UTF-32 encoding (editors on Windows save those), binary data, bytes that are not UTF-8.
 * A UTF-8 byte order mark is allowed (YAML allows it) and dropped.
 */

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** 1-based line and column of byte `offset` in `bytes` (columns count characters, as editors do). */
function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((byte) => byte === 0x0a).length + 1;
  // Count characters, not bytes: continuation bytes (10xxxxxx) do not start a character.
  const column = before.subarray(lineStart).filter((byte) => (byte & 0xc0) !== 0x80).length + 1;
  return { line, column };
}

/** Which wide Unicode encoding `bytes` use, judged by a byte order mark or by NUL bytes in ASCII text. */
function wideEncoding(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).equals(Buffer.from([0xff, 0xfe, 0, 0])) || bytes.subarray(0, 4).equals(Buffer.from([0, 0, 0xfe, 0xff]))) return 'UTF-32';
  if (bytes.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])) || bytes.subarray(0, 2).equals(Buffer.from([0xfe, 0xff]))) return 'UTF-16';
  // No mark: ASCII text in UTF-16 has a NUL in every other byte of its start.
  const head = bytes.subarray(0, 64);
  if (head.length >= 4) {
    const even = head.filter((_, index) => index % 2 === 0 && head[index] === 0).length;
    const odd = head.filter((_, index) => index % 2 === 1 && head[index] === 0).length;
    const half = Math.floor(head.length / 2);
    if (even >= half * 0.75 || odd >= half * 0.75) return 'UTF-16';
  }
  return undefined;
}

/** The text of a fleet file, or a {@link FleetConfigError} saying why the bytes are not UTF-8 YAML. */
export function decodeFleetBytes(bytes: Buffer, file: string): string {
  const wide = wideEncoding(bytes);
  if (wide !== undefined) {
    throw new FleetConfigError([
      { file, line: 1, column: 1, path: '', found: `a ${wide} encoded file`, allowed: 'UTF-8 text (save the file as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`)' },
    ]);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new FleetConfigError([{ file, ...positionOfByte(bytes, nul), path: '', found: 'binary data (a NUL byte)', allowed: 'a YAML text file in UTF-8' }]);
  }
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    // Find the first byte that breaks UTF-8, to point at it.
    const offset = firstInvalidUtf8(body);
    const byte = body[offset] ?? 0;
    throw new FleetConfigError([
      {
        file,
        ...positionOfByte(body, offset),
        path: '',
        found: `a byte that is not UTF-8 (0x${byte.toString(16).padStart(2, '0')}; binary data, or text in another encoding such as Latin-1)`,
        allowed: 'a YAML text file in UTF-8',
      },
    ]);
  }
}

/** Offset of the first byte in `bytes` that does not belong to a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Binary search on prefixes would split sequences; a linear scan of sequence starts is simple and exact.
  let offset = 0;
  while (offset < bytes.length) {
    const byte = bytes[offset];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return offset;
    try {
      decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      return offset;
    }
    offset += length;
  }
  return offset;
}
