#!/usr/bin/env node
/**
 * Measures what the fleet store costs, with the real binaries of the test harness:
 *
 *   - a collector's Prometheus with and without its remote_write to the fleet store: CPU (rate of
 *     process_cpu_seconds_total) and memory (process_resident_memory_bytes), both runs side by side
 *     on the same machine over the same minutes, so background load hits both alike;
 *   - samples per second per host (prometheus_tsdb_head_samples_appended_total, and what
 *     remote_write sends: prometheus_remote_storage_samples_total);
 *   - the store's disk per host per day: bytes per stored sample (VictoriaMetrics' vm_data_size_bytes
 *     over vm_rows, after a flush) times the samples per day, and the data directory's growth.
 *
 * Both collectors run as deployed by default: every job every 15 s (PeekStack's default interval),
 * Scaphandre included. The store is the synthesized FleetStore (VictoriaMetrics + vmauth).
 *
 * Usage: node scripts/measure-remote-write.mjs [seconds, default 300] [scrape interval, default 15]
 *        PEEKSTACK_MEASURE_JSON=out.json node scripts/measure-remote-write.mjs   (also writes the JSON)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repo, require } from './lib/require-ts.mjs';

const { startHarness } = require(path.join(repo, 'test/real/harness.ts'));
const { buildFleetStore, startFleetStore, STORE_HOST_NAME, withStorePasswords } = require(path.join(repo, 'test/real/fleet-store-harness.ts'));
const { makeTestSecrets } = require(path.join(repo, 'test/support/test-secrets.ts'));
const { fleetRemoteWrite } = require(path.join(repo, 'src/hub/fleet-store.ts'));

const seconds = Number(process.argv[2] ?? 300);
const interval = Number(process.argv[3] ?? 15);
if (!(seconds >= 120)) throw new Error(`seconds must be at least 120, got ${process.argv[2]}`);
const WARMUP = 60; // Prometheus's start (WAL, first scrapes, first remote_write shards) is left out

const secrets = withStorePasswords(makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', STORE_HOST_NAME]));
const store = await startFleetStore(secrets, { dedupMinScrapeIntervalSeconds: interval });
const common = { scrapeIntervalSeconds: interval, scaphandreScrapeIntervalSeconds: interval, secrets, extraHosts: { [STORE_HOST_NAME]: store.address } };
const [without, withRw] = await Promise.all([
  startHarness({ ...common, hostName: 'without-rw' }),
  startHarness({
    ...common,
    hostName: 'with-rw',
    configure: (collector, scope) => collector.prometheus.addRemoteWrite(fleetRemoteWrite(buildFleetStore(scope, { dedupMinScrapeIntervalSeconds: interval }).writeTarget())),
  }),
]);
const du = () => Number(execFileSync('du', ['-sb', store.dataDir], { encoding: 'utf8' }).split('\t')[0]);
const vmMetrics = async () => {
  await fetch(`http://${store.backendAddress}:8428/internal/force_flush`);
  const text = await (await fetch(`http://${store.backendAddress}:8428/metrics`)).text();
  const sum = (name, filter = () => true) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && filter(line))
      .reduce((total, line) => total + Number(line.split(' ').pop()), 0);
  return { dataBytes: sum('vm_data_size_bytes'), rows: sum('vm_rows', (line) => line.includes('type="storage/')), indexBytes: sum('vm_data_size_bytes', (line) => line.includes('indexdb')) };
};
try {
  await Promise.all([without.waitForTargetsUp(), withRw.waitForTargetsUp()]);
  process.stderr.write(`[measure] both collectors up; warming up ${WARMUP} s, then measuring ${seconds - WARMUP} s\n`);
  await new Promise((resolve) => setTimeout(resolve, WARMUP * 1000));
  const storeStart = { du: du(), ...(await vmMetrics()) };
  const measured = seconds - WARMUP;
  await new Promise((resolve) => setTimeout(resolve, measured * 1000));
  const scalar = async (harness, expr) => {
    const outcome = await harness.query(expr);
    if (!outcome.ok) throw new Error(`${expr}: ${outcome.error}`);
    return Number(outcome.data.result[0]?.value?.[1] ?? NaN);
  };
  const w = `[${measured}s]`;
  const prometheusFigures = async (harness) => ({
    cpuCores: await scalar(harness, `rate(process_cpu_seconds_total{job="prometheus"}${w})`),
    rssMeanBytes: await scalar(harness, `avg_over_time(process_resident_memory_bytes{job="prometheus"}${w})`),
    rssMaxBytes: await scalar(harness, `max_over_time(process_resident_memory_bytes{job="prometheus"}${w})`),
    headSeries: await scalar(harness, 'prometheus_tsdb_head_series'),
    samplesAppendedPerSecond: await scalar(harness, `rate(prometheus_tsdb_head_samples_appended_total${w})`),
    remoteSamplesPerSecond: await scalar(harness, `sum(rate(prometheus_remote_storage_samples_total${w}))`),
    remoteBytesPerSecond: await scalar(harness, `sum(rate(prometheus_remote_storage_bytes_total${w}))`),
    remoteFailed: await scalar(harness, 'sum(prometheus_remote_storage_samples_failed_total)'),
  });
  const a = await prometheusFigures(without);
  const b = await prometheusFigures(withRw);
  const storeEnd = { du: du(), ...(await vmMetrics()) };
  const bytesPerSample = storeEnd.dataBytes / storeEnd.rows;
  const samplesPerDay = b.samplesAppendedPerSecond * 86_400;
  const results = {
    measuredSeconds: measured,
    scrapeIntervalSeconds: interval,
    withoutRemoteWrite: a,
    withRemoteWrite: b,
    store: {
      rows: storeEnd.rows,
      dataBytes: storeEnd.dataBytes,
      indexBytes: storeEnd.indexBytes,
      bytesPerSample,
      diskPerHostPerDayBytes: bytesPerSample * samplesPerDay,
      dirGrowthBytesPerDay: ((storeEnd.du - storeStart.du) / measured) * 86_400,
    },
  };
  console.log(JSON.stringify(results, null, 2));
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log(`
| Prometheus of one collector (${measured} s, every job every ${interval} s) | without remote_write | with remote_write |
|---|---|---|
| CPU (cores) | ${a.cpuCores.toFixed(4)} | ${b.cpuCores.toFixed(4)} |
| resident memory, mean / max | ${mib(a.rssMeanBytes)} / ${mib(a.rssMaxBytes)} | ${mib(b.rssMeanBytes)} / ${mib(b.rssMaxBytes)} |
| samples appended per second | ${a.samplesAppendedPerSecond.toFixed(1)} | ${b.samplesAppendedPerSecond.toFixed(1)} |
| samples sent to the store per second | - | ${b.remoteSamplesPerSecond.toFixed(1)} (${(b.remoteBytesPerSecond / 1024).toFixed(1)} KiB/s, ${b.remoteFailed} failed) |

Store: ${storeEnd.rows} samples in ${mib(storeEnd.dataBytes)} (${bytesPerSample.toFixed(2)} bytes/sample after ${Math.round(seconds / 60)} min, indexdb ${mib(storeEnd.indexBytes)}) -> ${mib(results.store.diskPerHostPerDayBytes)} per host per day; data directory grew at ${mib(results.store.dirGrowthBytesPerDay)}/day.`);
  if (process.env.PEEKSTACK_MEASURE_JSON) writeFileSync(process.env.PEEKSTACK_MEASURE_JSON, JSON.stringify(results, null, 2));
} finally {
  await Promise.all([without.stop(), withRw.stop()]);
  await store.stop();
}
