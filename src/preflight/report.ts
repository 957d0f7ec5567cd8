/** Output of `peekstack preflight`: a table (default) or JSON. Pure. */
import { safeText } from '../core/errors';
import type { HostReport } from './run';

const GIB = 1024 ** 3;

/** Aligned plain-text table. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One cell per host for RAPL: what node_exporter and Scaphandre will read. */
function raplCell(report: HostReport): string {
  const p = report.facts?.probe;
  if (!report.facts) return '-';
  if (!p) return 'unknown';
  const zones = p.hostSysfs.zones.filter((z) => z.readable).length;
  if (!p.hostSysfs.present) return 'absent';
  if (zones === 0) return p.hostSysfs.zones.length > 0 ? 'unreadable' : 'absent';
  const masked = p.maskedPaths.some((m) => m.startsWith('/sys/devices/virtual/powercap'));
  return `${zones} zone(s)${masked ? ', masked' : ''}`;
}

function portsCell(report: HostReport): string {
  const ports = report.findings.filter((f) => f.check === 'ports');
  if (ports.length === 0) return '-';
  const taken = ports.filter((f) => f.level === 'fail').map((f) => /^port (\d+)/.exec(f.text)?.[1] ?? '?');
  return taken.length > 0 ? `taken: ${taken.join(', ')}` : 'free';
}

/** The table: one row per host, then each host's findings other than plain "ok". */
export function formatPreflightTable(reports: readonly HostReport[]): string {
  const rows = reports.map((r) => {
    const e = r.facts?.engine;
    const disk = r.facts?.probe?.disk;
    return [
      r.host,
      r.stacks.join(', '),
      e ? `${e.version} (API ${e.apiVersion})` : '-',
      e?.cgroupVersion ? `v${e.cgroupVersion}` : '-',
      e?.kernelVersion ?? '-',
      raplCell(r),
      portsCell(r),
      disk ? `${(disk.freeBytes / GIB).toFixed(1)} GiB` : '-',
      r.verdict === 'fail' ? 'CANNOT SERVE' : r.verdict === 'warn' ? 'ok, with warnings' : 'ok',
    ].map(safeText);
  });
  const lines = [table(['HOST', 'STACKS', 'ENGINE', 'CGROUP', 'KERNEL', 'RAPL', 'PORTS', 'DISK FREE', 'VERDICT'], rows), ''];
  for (const r of reports) {
    lines.push(safeText(`${r.host} (${r.endpoint}):`));
    for (const f of r.findings) lines.push(safeText(`  ${f.level.padEnd(4)} ${f.check}: ${f.text}`));
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** JSON: `{ ok, hosts: [{ host, endpoint, stacks, verdict, findings, facts }] }`. */
export function formatPreflightJson(reports: readonly HostReport[]): string {
  return `${JSON.stringify({ ok: reports.every((r) => r.verdict !== 'fail'), hosts: reports }, null, 2)}\n`;
}
