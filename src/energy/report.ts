/**
 * An energy report as text: a table for people, CSV and JSON for scripts. The numbers are the
 * report's, unrounded in CSV/JSON; the table rounds for reading.
 */
import type { EnergyReport, EnergyRow } from './query';

/** Output formats of `peekstack energy`. */
export const ENERGY_FORMATS = ['table', 'csv', 'json'] as const;
export type EnergyFormat = (typeof ENERGY_FORMATS)[number];

const iso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString();

/** Significant digits, without exponent notation for everyday magnitudes. */
export function significant(value: number, digits = 4): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

/** Aligned plain-text table; numeric columns right-aligned. */
export function textTable(header: readonly string[], rows: readonly string[][], numeric: readonly boolean[]): string {
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const COLUMNS = ['HOST', 'SCOPE', 'ENERGY (J)', 'kWh', 'MEAN W', 'PEAK W', 'gCO2e', 'COST', 'SHARE OF HOST', 'COVERED'] as const;

function cells(r: EnergyRow): string[] {
  return [
    r.host,
    r.scope === 'host' ? 'host' : `container ${r.name}`,
    significant(r.joules, 5),
    significant(r.kwh, 4),
    significant(r.meanWatts, 4),
    significant(r.peakWatts, 4),
    significant(r.gramsCo2e, 4),
    `${significant(r.cost, 4)} ${r.currency}`,
    r.shareOfHost === undefined ? '' : `${(r.shareOfHost * 100).toFixed(1)} %`,
    `${(r.coverage * 100).toFixed(1)} %`,
  ];
}

/** The report for people: the window, a table, and the factors' meaning. */
export function formatTable(report: EnergyReport, extraHeader: readonly string[] = []): string {
  const seconds = report.window.to - report.window.from;
  const header = [
    ...extraHeader,
    `window: ${iso(report.window.from)} .. ${iso(report.window.to)} (${significant(seconds, 6)} s), power sampled every ${significant(report.scrapeIntervalSeconds, 3)} s`,
    '',
  ];
  const body = textTable(COLUMNS, report.rows.map(cells), [false, false, true, true, true, true, true, true, true, true]);
  const footer = ['', 'gCO2e and COST = kWh x PUE x the host\'s carbon intensity / price (fleet file `accounting`).'];
  if (report.rows.some((r) => r.coverage < 0.99)) footer.push('COVERED under 100 %: samples are missing for part of the window (exporter or Prometheus down); ENERGY counts only what was measured.');
  return `${[...header, body, ...footer].join('\n')}\n`;
}

const CSV_HEADER = ['host', 'scope', 'name', 'from', 'to', 'joules', 'kwh', 'mean_watts', 'peak_watts', 'facility_kwh', 'grams_co2e', 'cost', 'currency', 'share_of_host', 'coverage'];

/** RFC 4180 CSV, one row per host/container. */
export function formatCsv(report: EnergyReport): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = report.rows.map((r) =>
    [r.host, r.scope, r.name, iso(report.window.from), iso(report.window.to), r.joules, r.kwh, r.meanWatts, r.peakWatts, r.facilityKwh, r.gramsCo2e, r.cost, r.currency, r.shareOfHost ?? '', r.coverage]
      .map((v) => quote(String(v)))
      .join(','),
  );
  return `${[CSV_HEADER.join(','), ...lines].join('\n')}\n`;
}

/** JSON: the window and the rows without their chart points. */
export function formatJson(report: EnergyReport, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      ...extra,
      from: iso(report.window.from),
      to: iso(report.window.to),
      scrapeIntervalSeconds: report.scrapeIntervalSeconds,
      rows: report.rows.map(({ points: _points, ...rest }) => rest),
    },
    null,
    2,
  )}\n`;
}
