/**
 * Built-in defaults and bounds of the constructs' settings that the fleet file also exposes: one
 * place, read by the constructs (`props.x ?? DEFAULTS.x`) and by the fleet-file schema, so the two
 * cannot drift. No cdktf here: `peekstack validate` and `list` load it without the constructs.
 */

/** An inclusive integer range. */
export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
}

/** Prometheus (see {@link PrometheusProps}). */
export const PROMETHEUS_DEFAULTS = {
  scrapeIntervalSeconds: 15,
  /** Capped at the interval when that is shorter. */
  scrapeTimeoutSeconds: 10,
  retentionDays: 15,
  retentionSizeGigabytes: 10,
  publishedPort: 19090,
  bounds: {
    intervalSeconds: { min: 1, max: 3600 } as IntegerBounds,
    retentionDays: { min: 1, max: 3650 } as IntegerBounds,
    retentionSizeGigabytes: { min: 1, max: 100_000 } as IntegerBounds,
  },
} as const;

/** node_exporter (see {@link NodeExporterProps}). */
export const NODE_EXPORTER_DEFAULTS = {
  port: 9100,
} as const;

/** Grafana (see {@link GrafanaProps}). */
export const GRAFANA_DEFAULTS = {
  publishedPort: 13000,
} as const;

/** TCP ports. */
export const PORT_BOUNDS: IntegerBounds = { min: 1, max: 65535 };

/** The fleet store (see {@link FleetStoreProps}): VictoriaMetrics single-node behind vmauth, on the hub. */
export const FLEET_STORE_DEFAULTS = {
  /** vmauth's HTTPS port on the hub host, the only port of the store reachable from other machines. */
  publishedPort: 18427,
  /** The fleet view keeps longer than a collector's own 15 days. */
  retentionDays: 90,
  /** Samples closer together than this are deduplicated: the collectors' scrape interval. */
  dedupMinScrapeIntervalSeconds: 15,
  writerUsername: 'peekstack-writer',
  readerUsername: 'peekstack-reader',
  bounds: { retentionDays: { min: 1, max: 36_500 } as IntegerBounds },
} as const;

/** vmalert on the hub (see {@link VmalertProps}) and the dead man's switch it drives. */
export const VMALERT_DEFAULTS = {
  /** How often the fleet rules are evaluated: twice per collector scrape interval's default would be noise; 30 s keeps the fleet view a minute fresh. */
  evaluationIntervalSeconds: 30,
  /** How often the heartbeat receiver is notified while the Watchdog fires (Alertmanager's repeat_interval on its route). */
  heartbeatIntervalSeconds: 60,
  /** How long a host may be silent in the store before PeekStackHostSilentInStore fires. */
  silentHostMinutes: 5,
  bounds: {
    evaluationIntervalSeconds: { min: 5, max: 600 } as IntegerBounds,
    heartbeatIntervalSeconds: { min: 1, max: 86_400 } as IntegerBounds,
  },
} as const;

/** Alertmanager (see {@link AlertmanagerProps}). */
export const ALERTMANAGER_DEFAULTS = {
  publishedPort: 9093,
  /** Gossip port of an Alertmanager pair (Alertmanager's own default `--cluster.listen-address` port). */
  clusterPort: 9094,
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 14_400,
  dataRetentionDays: 5,
  bounds: {
    groupWaitSeconds: { min: 0, max: 3600 } as IntegerBounds,
    groupIntervalSeconds: { min: 1, max: 86_400 } as IntegerBounds,
    repeatIntervalSeconds: { min: 60, max: 604_800 } as IntegerBounds,
    dataRetentionDays: { min: 1, max: 365 } as IntegerBounds,
  },
} as const;
