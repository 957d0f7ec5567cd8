#!/usr/bin/env node
/**
 * Measures what PeekStack's exporter flags and relabeling save: runs the real-binary harness
 * (test/real/harness.ts) twice for a while each and reports Prometheus's head series count
 * (`prometheus_tsdb_head_series`, Prometheus's own metric, scraped from itself) and whether every
 * dashboard panel still answers.
 *
 *   (a) peekstack: the synthesized collector as deployed: rendered prometheus.yml (host relabeling,
 *       Go runtime metrics dropped), node_exporter with PeekStack's flags (collectors switched off,
 *       mount points and virtual interfaces excluded).
 *   (b) defaults:  the same exporters with their default flags and a prometheus.yml without any
 *       relabel_configs / metric_relabel_configs (same jobs, TLS, auth, intervals and rule file, so
 *       only flags and relabeling differ).
 * Same either way: the cAdvisor fixture (a fixed file: cAdvisor's flags cannot change it here),
 * Scaphandre (no --containers in either: no Docker here).
 *
 * Usage: node scripts/measure-series.mjs [seconds per run, default 120]
 *        PEEKSTACK_MEASURE_JSON=out.json node scripts/measure-series.mjs   (also writes the results)
 *
 * The harness is TypeScript under test/; it is loaded through scripts/lib/require-ts.mjs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repo, require } from './lib/require-ts.mjs';

const { startHarness } = require(path.join(repo, 'test/real/harness.ts'));
const { checkDashboardQueries, failedQueries, queriesWithoutData } = require(path.join(repo, 'test/real/dashboard-check.ts'));
const { builtinValuesFor } = require(path.join(repo, 'src/dashboards/dashboard-queries.ts'));
const { buildDashboards } = require(path.join(repo, 'src/components/dashboards.ts'));
const { parse, stringify } = require('yaml');

const seconds = Number(process.argv[2] ?? 120);
if (!(seconds >= 20)) throw new Error(`seconds per run must be at least 20, got ${process.argv[2]}`);
const RANGE_SECONDS = 20;

/** (b): prometheus.yml without relabeling of any kind. */
function stripRelabeling({ prometheusRoot }) {
  const file = path.join(prometheusRoot, 'etc/prometheus/prometheus.yml');
  const config = parse(readFileSync(file, 'utf8'));
  for (const job of config.scrape_configs) {
    delete job.relabel_configs;
    delete job.metric_relabel_configs;
  }
  writeFileSync(file, stringify(config));
}

/** (b): node_exporter with its default flags; only where to listen and the TLS/auth file stay. */
const defaultNodeExporterArgs = (args) => args.filter((a) => a.startsWith('--web.listen-address=') || a.startsWith('--web.config.file='));

async function measure(name, options, hostValue) {
  const started = Date.now();
  const harness = await startHarness(options);
  try {
    await harness.waitForTargetsUp();
    process.stderr.write(`[measure] ${name}: all jobs up; running ${seconds} s\n`);
    await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - (Date.now() - started))));
    const scalar = async (expr) => {
      const o = await harness.query(expr);
      if (!o.ok) throw new Error(`${expr}: ${o.error}`);
      return Number(o.data.result[0]?.value?.[1] ?? NaN);
    };
    const vector = async (expr) => {
      const o = await harness.query(expr);
      if (!o.ok) throw new Error(`${expr}: ${o.error}`);
      return Object.fromEntries(o.data.result.map((s) => [s.metric.job ?? '(rules)', Number(s.value[1])]));
    };
    const headSeries = await scalar('prometheus_tsdb_head_series');
    const seriesByJob = await vector('count by (job) ({__name__=~".+"})');
    const samplesPerScrape = await vector('sum by (job) (scrape_samples_post_metric_relabeling)');
    const top = await harness.query('topk(8, count by (job, __name__) ({__name__=~".+"}))');
    const topMetrics = top.ok ? top.data.result.map((s) => `${s.metric.job}/${s.metric.__name__}: ${s.value[1]}`) : [];
    const definitions = buildDashboards();
    const values = { ...builtinValuesFor(harness.scaphandreScrapeIntervalSeconds, RANGE_SECONDS), host: hostValue, container: '.+', project: '.*', service: '.*' };
    const checks = await checkDashboardQueries(definitions, values, (expr, instant) => {
      const end = Date.now() / 1000;
      return instant
        ? harness.query(expr, { time: end })
        : harness.query(expr, { range: { start: end - RANGE_SECONDS, end, stepSeconds: harness.scrapeIntervalSeconds } });
    });
    const empty = queriesWithoutData(checks, definitions.map((d) => d.uid));
    return {
      name,
      runSeconds: Math.round((Date.now() - started) / 1000),
      headSeries,
      seriesByJob,
      samplesPerScrape,
      topMetrics,
      dashboardQueries: checks.length,
      failedQueries: failedQueries(checks).length,
      queriesWithData: checks.filter((c) => c.series > 0).length,
      emptyPanels: [...new Set(empty.map((c) => `${c.dashboardUid} / ${c.panelTitle}`))],
    };
  } finally {
    await harness.stop();
  }
}

const results = [];
// (a) uses the host label the rendered relabeling sets; (b) has no host label at all, so Grafana's
// `host` variable is empty and its "All" value `.*` is what the panels would query with.
results.push(await measure('a: PeekStack configuration', {}, 'real-host'));
results.push(await measure('b: exporter defaults, no relabeling', { mutateFiles: stripRelabeling, nodeExporterArgs: defaultNodeExporterArgs }, '.*'));

console.log(JSON.stringify(results, null, 2));
const [a, b] = results;
console.log(`\n| run | prometheus_tsdb_head_series | node | cadvisor | scaphandre | prometheus | queries with data / total | failed |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of results) {
  const j = r.seriesByJob;
  console.log(`| ${r.name} | ${r.headSeries} | ${j.node ?? 0} | ${j.cadvisor ?? 0} | ${j.scaphandre ?? 0} | ${j.prometheus ?? 0} | ${r.queriesWithData} / ${r.dashboardQueries} | ${r.failedQueries} |`);
}
console.log(`\n(a) has ${b.headSeries - a.headSeries} fewer head series than (b) (${((1 - a.headSeries / b.headSeries) * 100).toFixed(1)} % fewer).`);
if (process.env.PEEKSTACK_MEASURE_JSON) writeFileSync(process.env.PEEKSTACK_MEASURE_JSON, JSON.stringify(results, null, 2));
