import { POWER_SPLIT_RECORDS as R } from './records';

/**
 * The series the power split rules record, for the metric catalog (src/core/metric-catalog.ts appends
 * them). Typed there: importing its `CatalogMetric` here would make an import loop.
 */
const RECORDED = ['recording rule'];
const ONLY_WHEN = 'the collector has Scaphandre, node_exporter and cAdvisor';

export const POWER_SPLIT_METRICS = [
  { name: R.hostWatts, type: 'gauge', jobs: RECORDED, help: 'Host power (Scaphandre, RAPL), mean of each evaluation interval, in watts.', onlyWhen: ONLY_WHEN },
  { name: R.hostWattsSmoothed, type: 'gauge', jobs: RECORDED, help: 'Host power averaged over 5 minutes, in watts.', onlyWhen: ONLY_WHEN },
  { name: R.idleWatts, type: 'gauge', jobs: RECORDED, help: 'Idle power: the lowest 5-minute host power over the last hour, at most the host power now, in watts.', onlyWhen: ONLY_WHEN },
  { name: R.activeWatts, type: 'gauge', jobs: RECORDED, help: 'Active power: host power minus idle power, in watts.', onlyWhen: ONLY_WHEN },
  { name: R.hostBusyCores, type: 'gauge', jobs: RECORDED, help: 'CPU cores busy on the host (every mode but idle, iowait and steal).', onlyWhen: ONLY_WHEN },
  { name: R.containerCores, type: 'gauge', jobs: RECORDED, help: 'CPU cores each container uses (cAdvisor).', labels: ['name'], onlyWhen: ONLY_WHEN },
  { name: R.containersCores, type: 'gauge', jobs: RECORDED, help: 'CPU cores all containers use together.', onlyWhen: ONLY_WHEN },
  { name: R.containersCpuRatio, type: 'gauge', jobs: RECORDED, help: "Containers' CPU time over the host's busy CPU time (above 1: cAdvisor saw more than node_exporter).", onlyWhen: ONLY_WHEN },
  { name: R.containerActiveWatts, type: 'gauge', jobs: RECORDED, help: "Each container's share of the active power (its share of the busy CPU time), in watts.", labels: ['name'], onlyWhen: ONLY_WHEN },
  { name: R.unattributedWatts, type: 'gauge', jobs: RECORDED, help: 'Active power no container accounts for (host processes, the kernel), in watts.', onlyWhen: ONLY_WHEN },
] as const;
