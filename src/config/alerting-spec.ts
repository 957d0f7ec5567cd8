import { AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../core/alert-thresholds';
import { ALERTMANAGER_DEFAULTS, VMALERT_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import { AlertmanagerConfigInput } from '../render/alertmanager-config';
import { AlertingEntry, ReceiverEntry } from './alerting-schema';

/**
 * The `alerting:` section after defaults: routing and timings as the renderer takes them, receivers
 * as written (their secrets are variable names, resolved by the stacks).
 */
export interface AlertingSpec
  extends Pick<AlertmanagerConfigInput, 'defaultReceiver' | 'routes' | 'groupWaitSeconds' | 'groupIntervalSeconds' | 'repeatIntervalSeconds'> {
  /** Host Alertmanager runs on: the hub's (`store.host`, else the interface's). */
  readonly host: string;
  readonly port: number;
  /** Host of the second Alertmanager of a pair (`alerting.peerHost`); none: a single Alertmanager. */
  readonly peerHost?: string;
  /** Gossip port of the pair, published on both hosts (unused without `peerHost`). */
  readonly clusterPort: number;
  readonly image: string;
  readonly receivers: readonly ReceiverEntry[];
  /** The dead man's switch: the variable holding the heartbeat URL, and the seconds between heartbeats. */
  readonly heartbeat?: { readonly secretVariable: string; readonly intervalSeconds: number };
}

/** Applies the defaults of `alerting:`; `hubHost` is the host the hub (and Alertmanager) runs on. */
export function toAlertingSpec(entry: AlertingEntry, hubHost: string): AlertingSpec {
  return {
    host: hubHost,
    port: entry.port ?? ALERTMANAGER_DEFAULTS.publishedPort,
    ...(entry.peerHost !== undefined ? { peerHost: entry.peerHost } : {}),
    clusterPort: entry.clusterPort ?? ALERTMANAGER_DEFAULTS.clusterPort,
    image: entry.image ?? DEFAULT_IMAGES.alertmanager,
    receivers: entry.receivers,
    defaultReceiver: entry.defaultReceiver ?? entry.receivers[0].name,
    routes: entry.routes ?? [],
    groupWaitSeconds: entry.groupWaitSeconds ?? ALERTMANAGER_DEFAULTS.groupWaitSeconds,
    groupIntervalSeconds: entry.groupIntervalSeconds ?? ALERTMANAGER_DEFAULTS.groupIntervalSeconds,
    repeatIntervalSeconds: entry.repeatIntervalSeconds ?? ALERTMANAGER_DEFAULTS.repeatIntervalSeconds,
    ...(entry.heartbeat
      ? { heartbeat: { secretVariable: entry.heartbeat.secretVariable, intervalSeconds: entry.heartbeat.intervalSeconds ?? VMALERT_DEFAULTS.heartbeatIntervalSeconds } }
      : {}),
  };
}

/** A host's thresholds: its own over `defaults` (merged key by key), over the built-in ones. */
export function toAlertThresholds(merged: AlertThresholds | undefined): Required<AlertThresholds> {
  return { ...DEFAULT_ALERT_THRESHOLDS, ...Object.fromEntries(Object.entries(merged ?? {}).filter(([, value]) => value !== undefined)) };
}
