/**
 * Hourly carbon intensities from a CSV file (`peekstack energy --carbon-csv FILE`): one row per
 * hour, `hour start (ISO 8601, UTC), [zone,] gCO2e/kWh`, an optional header line, `#` comments.
 * The rows of each zone must follow each other hour by hour: a gap would leave hours without an
 * intensity (silently replaced, they would bias the figure), and two rows for one hour would make
 * the figure depend on which one wins. Both are refused with the file and line (exit 2).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../config/report';
import { CARBON_ZONE_PATTERN } from '../components/energy/embodied';
import { type CarbonIntensitySource, isoHour, SECONDS_PER_HOUR } from './carbon-intensity';

/** ISO 8601 in UTC (`Z` or `+00:00`), to the minute at least. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|\+00:00)$/;

/** The intensities of one CSV file, by zone ('' for rows without a zone) and hour. */
export class CsvCarbonIntensities implements CarbonIntensitySource {
  readonly kind = 'csv' as const;
  readonly description: string;
  private readonly byZone: ReadonlyMap<string, ReadonlyMap<number, number>>;

  constructor(file: string, byZone: ReadonlyMap<string, ReadonlyMap<number, number>>) {
    this.description = `CSV file ${file}`;
    this.byZone = byZone;
  }

  /** A zone's own rows, else the rows without a zone (they hold for every host). */
  async intensities(zone: string | undefined, hours: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const rows = (zone !== undefined ? this.byZone.get(zone) : undefined) ?? this.byZone.get('') ?? new Map<number, number>();
    return new Map(hours.filter((h) => rows.has(h)).map((h) => [h, rows.get(h)!]));
  }
}

/**
 * Parses the CSV text of `file`.
 * @throws UsageError `FILE:LINE: ...` for a row that does not parse, an hour that is not the start
 *   of a UTC hour, a negative intensity, a gap or an overlap between a zone's rows, or no row at all
 */
export function parseCarbonCsv(file: string, text: string): CsvCarbonIntensities {
  const fail = (line: number, what: string): never => {
    throw new UsageError(`${file}:${line}: ${what}`);
  };
  const byZone = new Map<string, Map<number, number>>();
  const last = new Map<string, { hour: number; line: number }>();
  let columns: number | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const fields = content.split(',').map((f) => f.trim());
    // A first line whose first field is not a time is the header.
    if (columns === undefined && !/^\d{4}-/.test(fields[0]!)) {
      if (fields.length !== 2 && fields.length !== 3) fail(line, 'expected a header of 2 or 3 columns: hour, [zone,] gCO2e/kWh');
      columns = fields.length;
      return;
    }
    columns ??= fields.length;
    if (fields.length !== columns || (columns !== 2 && columns !== 3)) {
      fail(line, `expected ${columns === 3 ? '3' : '2 or 3'} fields (hour start ISO 8601 UTC, ${columns === 3 ? 'zone, ' : '[zone,] '}gCO2e/kWh), found ${fields.length}`);
    }
    const [hourText, zone, valueText] = columns === 3 ? [fields[0]!, fields[1]!, fields[2]!] : [fields[0]!, '', fields[1]!];
    if (!ISO_UTC.test(hourText)) fail(line, `${JSON.stringify(hourText)}: expected the start of an hour in ISO 8601 UTC, e.g. 2026-11-28T10:00:00Z`);
    const hour = Date.parse(hourText.replace('+00:00', 'Z')) / 1000;
    if (!Number.isFinite(hour) || hour % SECONDS_PER_HOUR !== 0) fail(line, `${JSON.stringify(hourText)}: not the start of a UTC hour (minutes and seconds must be 0)`);
    if (zone !== '' && !CARBON_ZONE_PATTERN.test(zone)) fail(line, `${JSON.stringify(zone)}: not a zone identifier (letters, digits and "-", e.g. DE or US-CAL-CISO)`);
    const value = valueText === '' ? NaN : Number(valueText);
    if (!Number.isFinite(value) || value < 0) fail(line, `${JSON.stringify(valueText)}: expected an intensity in gCO2e/kWh, a number at least 0`);
    const previous = last.get(zone);
    const named = zone === '' ? '' : ` of zone ${zone}`;
    if (previous !== undefined && hour < previous.hour + SECONDS_PER_HOUR) {
      fail(line, `hour ${isoHour(hour)}${named} overlaps the hour of line ${previous.line} (${isoHour(previous.hour)}): one row per hour, in time order`);
    }
    if (previous !== undefined && hour > previous.hour + SECONDS_PER_HOUR) {
      const missing = (hour - previous.hour) / SECONDS_PER_HOUR - 1;
      fail(line, `gap before hour ${isoHour(hour)}${named}: ${missing} hour${missing === 1 ? '' : 's'} missing after line ${previous.line} (${isoHour(previous.hour)}); give every hour`);
    }
    last.set(zone, { hour, line });
    if (!byZone.has(zone)) byZone.set(zone, new Map());
    byZone.get(zone)!.set(hour, value);
  });
  if (byZone.size === 0) fail(lines.length, 'no intensity rows: expected lines of hour start (ISO 8601 UTC), [zone,] gCO2e/kWh');
  return new CsvCarbonIntensities(file, byZone);
}

/**
 * Reads and parses `--carbon-csv FILE`.
 * @throws UsageError when it cannot be read or does not parse
 */
export function readCarbonCsv(file: string): CsvCarbonIntensities {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`peekstack energy: --carbon-csv ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCarbonCsv(file, text);
}
