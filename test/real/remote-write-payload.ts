/**
 * A Prometheus remote_write request body, encoded by hand (protobuf `prometheus.WriteRequest`,
 * snappy block format with literal chunks only: valid, just not compressed), so a test can write
 * exactly what Prometheus writes without a protobuf or snappy dependency.
 * @see https://prometheus.io/docs/specs/prw/remote_write_spec/
 */

/** One series to write. */
export interface WriteSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly { readonly value: number; readonly timestampMs: number }[];
}

/** A protobuf varint (also used by scripts/measure-store-capacity.mjs to build its request template). */
export function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = BigInt(value);
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field. */
export function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

/** One protobuf `Label` (name and value). */
export function label(name: string, value: string): Buffer {
  return Buffer.concat([field(1, Buffer.from(name)), field(2, Buffer.from(value))]);
}

function sample(value: number, timestampMs: number): Buffer {
  const double = Buffer.alloc(8);
  double.writeDoubleLE(value);
  return Buffer.concat([Buffer.from([(1 << 3) | 1]), double, varint((2 << 3) | 0), varint(timestampMs)]);
}

/** Snappy block format, literals only (at most 65536 bytes per chunk). */
function snappyLiteral(data: Buffer): Buffer {
  const parts: Buffer[] = [varint(data.length)];
  for (let offset = 0; offset < data.length; offset += 65536) {
    const chunk = data.subarray(offset, offset + 65536);
    const n = chunk.length - 1;
    parts.push(n < 60 ? Buffer.from([n << 2]) : n < 256 ? Buffer.from([60 << 2, n]) : Buffer.from([61 << 2, n & 0xff, n >> 8]), chunk);
  }
  return Buffer.concat(parts);
}

/** The body of a remote_write request for `series` (labels sorted by name, as the spec requires). */
export function remoteWriteBody(series: readonly WriteSeries[]): Buffer {
  const request = Buffer.concat(
    series.map((one) =>
      field(
        1,
        Buffer.concat([
          ...Object.entries(one.labels)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([name, value]) => field(1, label(name, value))),
          ...one.samples.map((s) => field(2, sample(s.value, s.timestampMs))),
        ]),
      ),
    ),
  );
  return snappyLiteral(request);
}

/** The headers Prometheus sends with a remote_write request (protocol 1.0). */
export const REMOTE_WRITE_HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
} as const;
