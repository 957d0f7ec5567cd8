/**
 * The energy of a window, per host and per container, read from a Prometheus holding Scaphandre's
 * series (a collector's, or the fleet store). Energy is power integrated sample by sample (see
 * integrate.ts for why not the energy counter); CO₂ and cost follow from the host's factors.
 */
import { UsageError } from '../config/report';
import { account, type AccountingFactors, type EnergyAccount } from '../components/energy/factors';
import { EnergyQueryError, getApi, type PrometheusConnection, rawSamples, type RawSeries } from './client';
import { integratePower, medianSpacingSeconds, type PowerSample, sumByTimestamp } from './integrate';
import type { TimeWindow } from './window';

/** Which series a report covers. Every field is an RE2 regex, anchored as PromQL anchors `=~`. */
export interface EnergySelection {
  /** Hosts (`host` label). @default - every host with Scaphandre data in the window */
  readonly host?: string;
  /** Container names (Scaphandre `--containers`' `container_names`). @default - no per-container rows */
  readonly container?: string;
  /** Compose project (Docker label `com.docker.compose.project`). @default - any */
  readonly project?: string;
  /** Compose service (Docker label `com.docker.compose.service`). @default - any */
  readonly service?: string;
}

/** One line of a report: a host, or a container on a host. */
export interface EnergyRow extends EnergyAccount {
  readonly host: string;
  /** `host`, or the container's name. */
  readonly scope: 'host' | 'container';
  readonly name: string;
  readonly joules: number;
  readonly meanWatts: number;
  readonly peakWatts: number;
  /** Container rows: joules / the host's joules over the same window. */
  readonly shareOfHost?: number;
  /** Fraction of the window the samples cover (1 = all of it). */
  readonly coverage: number;
  /** The power samples that overlap the window, for charts. */
  readonly points: readonly PowerSample[];
}

/**
 * Rows that measured nothing: a host none of whose samples stands for any part of the window (the
 * host was down, or its data ends before the window), or any row with a number that is not one.
 * Their 0 J is not a measurement: a report holding one must not pass for a measured one (`peekstack
 * energy` exits 1). A container without samples on a measured host is different: it did not run.
 */
export function unmeasuredRows(report: EnergyReport): EnergyRow[] {
  return report.rows.filter((r) => (r.scope === 'host' && !(r.coverage > 0)) || ![r.joules, r.meanWatts, r.peakWatts, r.kwh, r.gramsCo2e, r.cost, r.coverage].every(Number.isFinite));
}

/** A whole report. */
export interface EnergyReport {
  readonly window: TimeWindow;
  readonly rows: readonly EnergyRow[];
  /** The median spacing of the host power samples (the Scaphandre scrape interval), seconds. */
  readonly scrapeIntervalSeconds: number;
  /**
   * Each host's power samples as integrated (with the lookback before the window): what the hourly
   * carbon figures integrate again, hour by hour, with the same function.
   */
  readonly hostSamples: ReadonlyMap<string, readonly PowerSample[]>;
}

/** Options of {@link queryEnergy}. */
export interface EnergyQueryOptions {
  readonly connection: PrometheusConnection;
  readonly window: TimeWindow;
  readonly selection?: EnergySelection;
  /** The accounting factors of a host. */
  readonly factorsFor: (host: string) => AccountingFactors;
  /** Called with a short status while hosts are queried one after the other. @default - silent */
  readonly onProgress?: (status: string) => void;
  /**
   * The longest wait for the scrape that covers the window's end, when the window ends only now.
   * @default 3 × the scrape interval + 5 s
   */
  readonly coverWaitMs?: number;
  /** The clock, in Unix seconds (tests). @default Date.now() / 1000 */
  readonly now?: () => number;
}

/** How far before the window samples are read: enough to know the first sample's interval. */
const LOOKBACK_SECONDS = 300;

/** `"value"` as a PromQL string literal. */
function promString(value: string): string {
  return JSON.stringify(value);
}

/** The host power selector for a selection. */
export function hostPowerSelector(selection: EnergySelection = {}): string {
  return `scaph_host_power_microwatts{host=~${promString(selection.host ?? '.+')}}`;
}

/** The per-process power selector of the selected containers' processes. */
export function containerPowerSelector(selection: EnergySelection = {}): string {
  const matchers = [
    `host=~${promString(selection.host ?? '.+')}`,
    'container_scheduler="docker"',
    `container_names=~${promString(selection.container ?? '.+')}`,
    ...(selection.project !== undefined ? [`container_label_com_docker_compose_project=~${promString(selection.project)}`] : []),
    ...(selection.service !== undefined ? [`container_label_com_docker_compose_service=~${promString(selection.service)}`] : []),
  ];
  return `scaph_process_power_consumption_microwatts{${matchers.join(', ')}}`;
}

/**
 * A series' samples as watts. NaN samples are left out: they are Prometheus's staleness markers
 * (the scrape Scaphandre leaves out at a counter wrap, a target gone), which a collector's own API
 * never returns in a range vector but the fleet store (VictoriaMetrics) does. They are no reading:
 * the next sample covers their interval, as on the collector (taken as watts they made the whole
 * host NaN).
 */
const toSamples = (series: RawSeries): PowerSample[] =>
  series.values.map(([t, v]) => ({ t, watts: Number(v) / 1e6 })).filter((s) => Number.isFinite(s.watts));

/** Hosts with host power in the window. */
async function hostsIn(connection: PrometheusConnection, window: TimeWindow, selection: EnergySelection): Promise<string[]> {
  const data = await getApi<{ result: { metric: Record<string, string> }[] }>(connection, '/api/v1/query', {
    query: `group by (host) (last_over_time(${hostPowerSelector(selection)}[${Math.ceil(window.to - window.from + LOOKBACK_SECONDS)}s]))`,
    time: window.to.toFixed(3),
  });
  return data.result.map((s) => s.metric.host ?? '').filter((h) => h !== '').sort();
}

/**
 * Reads a host's power samples over the window (plus the lookback), waiting for the scrape that
 * covers the window's end when that scrape is still to come.
 */
async function hostSamples(options: EnergyQueryOptions, host: string): Promise<PowerSample[]> {
  const { connection, window } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const selector = hostPowerSelector({ host: escapeRegex(host) });
  const read = async (): Promise<PowerSample[]> => {
    const end = Math.min(now(), window.to + LOOKBACK_SECONDS);
    const series = await rawSamples(connection, selector, end, end - (window.from - LOOKBACK_SECONDS));
    return series.length === 1 ? toSamples(series[0]!) : [];
  };
  let samples = await read();
  const spacing = medianSpacingSeconds(samples);
  if (spacing === undefined) return samples;
  const deadline = Date.now() + (options.coverWaitMs ?? (3 * spacing + 5) * 1000);
  // The end is covered once a sample at or after it exists; wait only if one can still come.
  while (samples[samples.length - 1]!.t < window.to && now() - window.to < 3 * spacing && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(1000, (spacing * 1000) / 3)));
    samples = await read();
  }
  return samples;
}

/** Escapes regex metacharacters so a name matches itself only. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Turns an integral into a report row. */
function row(host: string, scope: EnergyRow['scope'], name: string, samples: readonly PowerSample[], window: TimeWindow, factors: AccountingFactors, hostJoules?: number): EnergyRow {
  const integral = integratePower(samples, window.from, window.to);
  const spacing = medianSpacingSeconds(samples) ?? 0;
  return {
    host,
    scope,
    name,
    joules: integral.joules,
    meanWatts: integral.meanWatts,
    peakWatts: integral.peakWatts,
    coverage: integral.coveredSeconds / (window.to - window.from),
    ...(hostJoules !== undefined ? { shareOfHost: hostJoules > 0 ? integral.joules / hostJoules : 0 } : {}),
    ...account(integral.joules, factors),
    points: samples.filter((s) => s.t >= window.from && s.t <= window.to + spacing),
  };
}

/**
 * Builds the report: one row per selected host, and one per selected container when
 * `selection.container` (or a Compose filter) is given.
 * @throws EnergyQueryError (exit 1) when nothing has data in the window; UsageError (exit 2) when
 *   the window is shorter than two scrape intervals
 */
export async function queryEnergy(options: EnergyQueryOptions): Promise<EnergyReport> {
  const { connection, window } = options;
  const selection = options.selection ?? {};
  const hosts = await hostsIn(connection, window, selection);
  if (hosts.length === 0) {
    throw new EnergyQueryError(
      `no host power (scaph_host_power_microwatts${selection.host ? ` of hosts matching ${promString(selection.host)}` : ''}) between ${iso(window.from)} and ${iso(window.to)}. Check the window (was the collector running?) and --host; \`peekstack energy --last 5m\` shows whether data arrives at all.`,
      'no-data',
    );
  }
  const rows: EnergyRow[] = [];
  const samplesByHost = new Map<string, readonly PowerSample[]>();
  let interval = 0;
  for (const [i, host] of hosts.entries()) {
    options.onProgress?.(`querying ${host} (${i + 1}/${hosts.length})`);
    const samples = await hostSamples(options, host);
    const spacing = medianSpacingSeconds(samples);
    if (spacing === undefined) continue;
    interval = Math.max(interval, spacing);
    if (window.to - window.from < 2 * spacing) {
      throw new UsageError(
        `peekstack energy: the window (${round(window.to - window.from)} s) is shorter than two scrape intervals of ${host}'s power (${round(spacing)} s each): too few samples to integrate. Widen it to at least ${Math.ceil(2 * spacing)} s.`,
      );
    }
    const factors = options.factorsFor(host);
    const hostRow = row(host, 'host', host, samples, window, factors);
    rows.push(hostRow);
    samplesByHost.set(host, samples);
    if (selection.container !== undefined || selection.project !== undefined || selection.service !== undefined) {
      const series = await rawSamples(connection, containerPowerSelector({ ...selection, host: escapeRegex(host) }), Math.min(window.to + spacing * 3, (options.now ?? (() => Date.now() / 1000))()), window.to + spacing * 3 - (window.from - LOOKBACK_SECONDS));
      const byContainer = new Map<string, RawSeries[]>();
      for (const s of series) {
        const name = s.metric.container_names ?? '';
        byContainer.set(name, [...(byContainer.get(name) ?? []), s]);
      }
      if (byContainer.size === 0) {
        throw new EnergyQueryError(
          `no container power on ${host} for ${containerPowerSelector(selection)} in the window. Scaphandre labels containers only with --containers and only those that existed when it started (restart it after starting them).`,
          'no-data',
        );
      }
      for (const [name, group] of [...byContainer.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        rows.push(row(host, 'container', name, sumByTimestamp(group.map(toSamples)), window, factors, hostRow.joules));
      }
    }
  }
  if (rows.length === 0) {
    throw new EnergyQueryError(`host power has fewer than two samples between ${iso(window.from)} and ${iso(window.to)}: nothing to integrate. Widen the window.`, 'no-data');
  }
  return { window, rows, scrapeIntervalSeconds: interval, hostSamples: samplesByHost };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const round = (n: number): number => Math.round(n * 10) / 10;
