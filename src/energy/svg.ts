/**
 * A self-contained SVG chart of an energy report: power over the window, one step line per row
 * (Scaphandre's samples are means over the interval before them, so steps, not slopes), with each
 * row's energy written beside its legend. No dependencies: plain SVG text.
 */
import type { EnergyReport } from './query';

const WIDTH = 860;
const PLOT_HEIGHT = 220;
const MARGIN = { left: 64, right: 20, top: 48, bottom: 44 };
/** Height of one legend line. */
const LEGEND_LINE = 16;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number, digits = 4): string => Number(n.toPrecision(digits)).toString();

/** A "nice" axis maximum: 1, 2 or 5 × a power of ten, at least `value`. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power;
}

/** Renders the chart; `title` goes on top (e.g. the command measured). */
export function renderEnergySvg(report: EnergyReport, title = 'Power over the window'): string {
  const { from, to } = report.window;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PLOT_HEIGHT;
  // The legend (one line per row) grows the picture downwards.
  const HEIGHT = MARGIN.top + plotH + MARGIN.bottom + LEGEND_LINE * report.rows.length;
  const yMax = niceMax(Math.max(...report.rows.map((r) => r.peakWatts)) * 1.1);
  const x = (t: number) => MARGIN.left + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotW;
  const y = (w: number) => MARGIN.top + plotH - (w / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${MARGIN.left}" y="38" fill="#555">${escape(`${new Date(from * 1000).toISOString()} .. ${new Date(to * 1000).toISOString()} (${fmt(to - from, 6)} s)`)}</text>`,
  ];
  // Axes and grid: 5 horizontal lines, 6 time ticks in seconds from the start.
  for (let i = 0; i <= 5; i++) {
    const w = (yMax * i) / 5;
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(w).toFixed(1)}" y2="${y(w).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${(y(w) + 4).toFixed(1)}" text-anchor="end">${fmt(w, 3)}</text>`);
  }
  for (let i = 0; i <= 6; i++) {
    const t = from + ((to - from) * i) / 6;
    out.push(`<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${fmt(t - from, 3)} s</text>`);
  }
  out.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">power (W)</text>`);
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  report.rows.forEach((r, i) => {
    const color = COLORS[i % COLORS.length]!;
    // Step line: each sample holds its power over the interval before it.
    const d: string[] = [];
    r.points.forEach((p, j) => {
      const start = j === 0 ? from : r.points[j - 1]!.t;
      d.push(`${j === 0 ? 'M' : 'L'}${x(start).toFixed(1)},${y(p.watts).toFixed(1)}`, `L${x(p.t).toFixed(1)},${y(p.watts).toFixed(1)}`);
    });
    if (d.length > 0) out.push(`<path d="${d.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const label = `${r.scope === 'host' ? r.host : `${r.host} / ${r.name}`}: ${fmt(r.joules, 5)} J = ${fmt(r.kwh, 4)} kWh, mean ${fmt(r.meanWatts, 4)} W, ${fmt(r.gramsCo2e, 4)} gCO2e, ${fmt(r.cost, 4)} ${r.currency}`;
    const ly = MARGIN.top + plotH + MARGIN.bottom + i * LEGEND_LINE;
    out.push(`<rect x="${MARGIN.left}" y="${ly - 9}" width="12" height="4" fill="${color}"/>`);
    out.push(`<text x="${MARGIN.left + 18}" y="${ly}">${escape(label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
