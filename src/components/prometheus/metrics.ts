import type { CatalogMetric, ScrapeJobName } from '../../core/metric-catalog';
import { SCRAPE_JOBS } from '../../core/metric-catalog';
import { JOB } from '../../core/labels';

/**
 * Prometheus's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for):
 * the series Prometheus writes itself for every scrape, its own metrics (job `prometheus`, scraping
 * itself), and the Go client's `process_*` metrics of the targets instrumented with it.
 */

const ALL_JOBS = SCRAPE_JOBS;
/** Targets instrumented with the Prometheus Go client, which adds the `process_*` metrics. */
const GO_CLIENT_JOBS: readonly ScrapeJobName[] = [JOB.node, JOB.cadvisor, JOB.prometheus];

const REMOTE_WRITE_ONLY_WHEN = 'a remote_write endpoint is configured';

/** Series Prometheus writes itself for every target of every built-in job (a user component's job gets them too). */
export const SCRAPE_METRICS: readonly CatalogMetric[] = [
  { name: 'up', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: '1 if the last scrape of the target succeeded, 0 otherwise.' },
  { name: 'scrape_duration_seconds', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Duration of the last scrape.' },
  { name: 'scrape_samples_scraped', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Samples the target exposed in the last scrape.' },
  { name: 'scrape_samples_post_metric_relabeling', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Samples kept after metric relabeling in the last scrape.' },
];

/** Prometheus's own metrics, and the `process_*` metrics of every target instrumented with the Go client. */
export const PROMETHEUS_METRICS: readonly CatalogMetric[] = [
  { name: 'prometheus_build_info', type: 'info', jobs: [JOB.prometheus], help: 'Prometheus version and build.', labels: ['version', 'revision', 'goversion'] },
  { name: 'prometheus_tsdb_head_series', type: 'gauge', jobs: [JOB.prometheus], help: 'Series in the head block.' },
  { name: 'prometheus_tsdb_storage_blocks_bytes', type: 'gauge', jobs: [JOB.prometheus], help: 'Bytes of the persisted blocks.' },
  { name: 'prometheus_rule_evaluation_failures_total', type: 'counter', jobs: [JOB.prometheus], help: 'Failed rule evaluations, per rule group.', labels: ['rule_group'] },
  { name: 'prometheus_notifications_sent_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts sent (failed ones included), per Alertmanager.', labels: ['alertmanager'], onlyWhen: 'an Alertmanager is configured' },
  { name: 'prometheus_notifications_errors_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts whose sending failed, per Alertmanager.', labels: ['alertmanager'], onlyWhen: 'an Alertmanager is configured' },
  { name: 'prometheus_notifications_dropped_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts dropped (queue full or send errors).' },
  { name: 'prometheus_remote_storage_samples_failed_total', type: 'counter', jobs: [JOB.prometheus], help: 'Samples that failed to be sent (non-recoverable errors), per endpoint.', labels: ['remote_name', 'url'], onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_remote_storage_highest_timestamp_in_seconds', type: 'gauge', jobs: [JOB.prometheus], help: 'Newest timestamp appended to the WAL, seconds since the epoch.', onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds', type: 'gauge', jobs: [JOB.prometheus], help: 'Newest timestamp sent by an endpoint\'s queue, seconds since the epoch.', labels: ['remote_name', 'url'], onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_config_last_reload_successful', type: 'gauge', jobs: [JOB.prometheus], help: '1 if the last configuration reload succeeded.' },
  { name: 'process_cpu_seconds_total', type: 'counter', jobs: GO_CLIENT_JOBS, help: 'CPU time of the exporter process, in seconds.' },
  { name: 'process_resident_memory_bytes', type: 'gauge', jobs: GO_CLIENT_JOBS, help: 'Resident memory of the exporter process, in bytes.' },
  { name: 'process_start_time_seconds', type: 'gauge', jobs: GO_CLIENT_JOBS, help: 'Start time of the exporter process, seconds since the epoch.' },
];
