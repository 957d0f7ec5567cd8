/**
 * The power split's windows and the names of the series its rules record (definition.ts). Apart from
 * the rules so that the metric catalog (src/core/metric-catalog.ts, through metrics.ts) can name them
 * without importing the rules, which reach the catalog through the component types.
 */

/**
 * How far back the idle power looks: one hour holds a quiet moment on most hosts (between jobs), and
 * follows a change of the machine (a BIOS power profile, a new disk)
 * within the hour. A host busy for the whole hour (or younger than it and never quiet) reads its
 * lowest power so far as idle: too high, so active power and the containers' shares read low, never
 * more than the host draws.
 */
export const IDLE_WINDOW = '1h';

/**
 * The smoothing before the minimum: the mean of 5 minutes, so that idle is a floor the host held, not
 * one low record (one evaluation's read jitter, a scrape across a counter wrap).
 */
export const IDLE_SMOOTHING = '5m';

/**
 * The least time a smoothed record stands for: on a host younger than {@link IDLE_SMOOTHING} the
 * mean covers what there is, but not less than a minute (the first records alone are one reading
 * each: 4.5 % under the simulated idle power, measured). Before that, idle is the power now.
 */
export const IDLE_SMOOTHING_MIN_SECONDS = 60;

/** Names of the recorded series, for panels, tests and the catalog. */
export const POWER_SPLIT_RECORDS = {
  /** Host power in W: the mean of each evaluation interval (the energy rules' host record in watts). */
  hostWatts: 'host:power_watts:per_evaluation',
  /** Host power averaged over {@link IDLE_SMOOTHING}: what the idle power is the minimum of. */
  hostWattsSmoothed: `host:power_watts:avg${IDLE_SMOOTHING}`,
  /** Idle power in W: the lowest smoothed host power over {@link IDLE_WINDOW}, at most the host power now. */
  idleWatts: `host:power_idle_watts:min${IDLE_WINDOW}`,
  /** Active power in W: host − idle. */
  activeWatts: 'host:power_active_watts:per_evaluation',
  /** CPU cores the host is busy on (node_exporter: every mode but idle, iowait and steal). */
  hostBusyCores: 'host:cpu_busy_cores:rate',
  /** CPU cores each container uses (cAdvisor), by `name`. */
  containerCores: 'container:cpu_cores:rate',
  /** CPU cores all containers use together. */
  containersCores: 'host:cpu_container_cores:rate',
  /** Σ containers' CPU / host busy CPU: above 1 when cAdvisor saw more than node_exporter (then shares are over the containers' sum). */
  containersCpuRatio: 'host:cpu_in_containers:ratio',
  /** Each container's active power in W, by `name`: active × its CPU share. */
  containerActiveWatts: 'container:power_active_watts:cpu_share',
  /** Active power in W no container accounts for: active − Σ containers. */
  unattributedWatts: 'host:power_unattributed_watts:per_evaluation',
} as const;
