import * as z from 'zod/mini';
import { validateDockerEndpoint } from '../core/docker-endpoint';
import { PeekStackValidationError } from '../core/errors';
import { PROMETHEUS_DEFAULTS } from '../core/defaults';
import { assertNoCredentials } from '../core/state-backend';
import { assertAddress } from '../core/validate';
import { HOST_NAME_ALLOWED, HOST_NAME_PATTERN } from './stack-names';
import { alertingSchema, alertThresholdsSchema } from './alerting-schema';
import { ipmiSchema } from './ipmi-schema';
import { vmalertSchema } from './vmalert-schema';
import { assertedString, flag, image, integer, once, port, seconds, strict, text } from './schema-builders';
import { LruCache } from '../core/lru-cache';
// The components' own keys, one line each (a component's fleet-file keys live in its folder).
import { cadvisorExporterKey } from '../components/cadvisor/fleet-keys';
import { dcgmExporterKey } from '../components/dcgm/fleet-keys';
import { accountingKey, carbonKey, embodiedKey } from '../components/energy/fleet-keys';
import { powerKey } from '../components/platform-power/fleet-keys';
import { nodeExporterExporterKey, nodeExporterPortKey } from '../components/node-exporter/fleet-keys';
import { scaphandreExporterKey } from '../components/scaphandre/fleet-keys';

/**
 * The fleet file's shape, strict: an unknown key is an error (a typo such as `retentionDay` must not
 * silently fall back to a default). Each leaf carries its own "allowed" text, which becomes the
 * message's `allowed:` part; checks across fields live in checks.ts.
 */

const { retentionDays, retentionSizeGigabytes } = PROMETHEUS_DEFAULTS.bounds;

/** Host name: what Collector accepts. */
export const hostNameSchema = z.string({ error: HOST_NAME_ALLOWED }).check(z.regex(HOST_NAME_PATTERN, { error: HOST_NAME_ALLOWED }));

const addressSchema = once(() => assertedString(assertAddress, 'a DNS name or an IP address'));

/** A Docker endpoint, checked by the same function the stacks use. */
const dockerSchema = once(() =>
  strict({
    host: text('a Docker endpoint: unix:///path, ssh://user@host[:port] or tcp://host:port'),
    certPath: z.optional(text('a directory with ca.pem, cert.pem and key.pem')),
    sshOpts: z.optional(z.array(text('an ssh option'), { error: 'a list of ssh options' })),
  }).check(z.superRefine((endpoint, ctx) => {
    try {
      validateDockerEndpoint('docker', endpoint);
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      // The function names `docker.host`, `docker.certPath` or `docker.sshOpts`: keep the last part.
      ctx.addIssue({ code: 'custom', message: error.allowed, path: [error.field.split('.').pop() ?? 'host'] });
    }
  })),
);

const noCredentials = (what: string) => assertedString(assertNoCredentials, what);

/** State backends; credentials are never accepted here, only in the backends' environment variables. */
const backendSchema = once(() =>
  z.discriminatedUnion(
    'type',
    [
      strict({
        type: z.literal('local'),
        path: z.optional(
          z
            .string({ error: 'a relative path' })
            .check(z.regex(/^[^/\\]/, { error: 'a relative path (from the stack directory under cdktf.out); an absolute one ties the state to one machine' })),
        ),
      }),
      strict({
        type: z.literal('s3'),
        bucket: text('an S3 bucket name'),
        key: z.optional(text('an object key, "{stack}" is replaced by the stack name')),
        region: z.optional(text('an AWS region')),
        endpoint: z.optional(noCredentials('an S3 endpoint URL')),
        profile: z.optional(text('an AWS profile name')),
        dynamodbTable: z.optional(text('a DynamoDB table name')),
        useLockfile: z.optional(flag()),
        encrypt: z.optional(flag()),
      }).check(z.superRefine((backend, ctx) => {
        if (backend.useLockfile === false && backend.dynamodbTable === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['useLockfile'],
            message: 'true, or a dynamodbTable: state shared in CI must be locked',
          });
        }
      })),
      strict({
        type: z.literal('pg'),
        connStr: noCredentials('a postgres:// connection string without a password (use PGPASSWORD)'),
        schemaName: z.optional(z.string().check(z.regex(/^[a-z_][a-z0-9_{}]*$/, { error: 'a schema name: lower-case letters, digits and "_"' }))),
      }),
      strict({
        type: z.literal('http'),
        address: noCredentials('a state URL without credentials (use TF_HTTP_USERNAME / TF_HTTP_PASSWORD)'),
        lockAddress: noCredentials('a lock URL without credentials: locking is required'),
        unlockAddress: z.optional(noCredentials('an unlock URL without credentials')),
        lockMethod: z.optional(text('an HTTP method')),
        unlockMethod: z.optional(text('an HTTP method')),
      }),
    ],
    { error: 'a backend mapping with type local, s3, pg or http' },
  ),
);

/** The builders of a mapping's optional keys, by key: each returns the key's (optional) schema. */
type Parts = Record<string, () => z.ZodMiniType>;
/** The shape `parts` build when every key is used. */
type ShapeOf<P extends Parts> = { [K in keyof P]: ReturnType<P[K]> };

/**
 * What stands for a key the file does not write: never parsed (the key is absent), and it would
 * refuse any value if it were, so that a key wrongly thought absent cannot pass unchecked.
 */
const absent = once(() => z.optional(z.never()));

/** The shape of `parts`, built only for the keys `uses` says the file writes; {@link absent} for the others. */
function shapeOf<P extends Parts>(parts: P, uses: (key: string) => boolean): ShapeOf<P> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const key of Object.keys(parts)) shape[key] = uses(key) ? parts[key]() : absent();
  return shape as ShapeOf<P>;
}

/** Settings a host may override and `defaults` may set for every host. */
const settingsParts = {
  scrapeIntervalSeconds: () => z.optional(seconds()),
  scrapeTimeoutSeconds: () => z.optional(seconds()),
  retentionDays: () => z.optional(integer(retentionDays.min, retentionDays.max, 'days')),
  retentionSizeGigabytes: () => z.optional(integer(retentionSizeGigabytes.min, retentionSizeGigabytes.max, 'GiB')),
  ports: () => z.optional(strict({ prometheus: z.optional(port()), nodeExporter: nodeExporterPortKey() })),
  exporters: () =>
    z.optional(strict({
      nodeExporter: nodeExporterExporterKey(),
      cadvisor: cadvisorExporterKey(),
      // NVIDIA GPUs (the DCGM add-on): off unless a host has GPUs and the NVIDIA container toolkit.
      dcgm: dcgmExporterKey(),
      scaphandre: scaphandreExporterKey(),
    })),
  images: () => z.optional(strict({ prometheus: z.optional(image()) })),
  backend: () => z.optional(backendSchema()),
  accounting: accountingKey,
  embodied: embodiedKey,
  carbon: carbonKey,
  power: powerKey,
  alertThresholds: () => z.optional(alertThresholdsSchema()),
};

/** Kinds of fleet store: the hub's own VictoriaMetrics, or an existing one the collectors write to. */
export const STORE_KINDS = ['embedded', 'victoriametrics-cluster', 'mimir', 'thanos'] as const;

/** An https URL without credentials (credentials come from sensitive Terraform variables). */
const httpsUrl = (what: string) =>
  assertedString((field, value) => {
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(value) || /[?&](password|token)=/i.test(value)) {
      throw new PeekStackValidationError(field, '<a URL with credentials, not shown>', `${what}: an https:// URL without user or password (credentials come from sensitive Terraform variables)`);
    }
    if (!/^https:\/\/[^/\s]+/.test(value)) throw new PeekStackValidationError(field, value, `${what}: an https:// URL (the store is reached over TLS only)`);
  }, `${what}: an https:// URL`);

/** A key that would put a credential in the fleet file: refused without echoing its value. */
const noSecret = () =>
  z.unknown().check(z.superRefine((_value, ctx) => {
    ctx.addIssue({ code: 'custom', message: 'no credentials in the fleet file: the store password or token comes from a sensitive Terraform variable (TF_VAR_<stack>_fleet_store_password / _token, see README)', params: { found: 'a credential (not shown)' } });
  }));

/** `store:`: where every collector remote_writes and Grafana's fleet datasource reads. */
const storeSchema = () =>
  strict({
    enabled: z.optional(flag()),
    kind: z.optional(z.enum(STORE_KINDS, { error: `one of ${STORE_KINDS.map((kind) => `"${kind}"`).join(', ')}` })),
    host: z.optional(z.string({ error: 'the name of the host that runs the hub (one of hosts[].name)' })),
    port: z.optional(port()),
    retentionDays: z.optional(integer(1, 36_500, 'days')),
    backend: z.optional(backendSchema()),
    url: z.optional(httpsUrl('the write endpoint (vminsert, Mimir or Thanos Receive base URL)')),
    queryUrl: z.optional(httpsUrl('the query endpoint (vmselect, Mimir or Thanos Query base URL)')),
    tenant: z.optional(z.string({ error: 'a tenant id' }).check(z.regex(/^[A-Za-z0-9_.:-]{1,150}$/, { error: 'a tenant id: letters, digits, "_", ".", ":" or "-"' }))),
    caFile: z.optional(text('a path to the PEM CA of the external store (relative to the fleet file)')),
    auth: z.optional(z.enum(['basic', 'bearer', 'none'], { error: '"basic" (username + password variable), "bearer" (token variable) or "none"' })),
    username: z.optional(text('a user name')),
    password: z.optional(noSecret()),
    token: z.optional(noSecret()),
    bearerToken: z.optional(noSecret()),
  });

/** The optional keys of `interface:`. */
const interfaceParts = {
  port: () => z.optional(port()),
  image: () => z.optional(image()),
  backend: () => z.optional(backendSchema()),
};

/** The optional top-level keys. */
const fleetParts = {
  store: () => z.optional(storeSchema()),
  alerting: () => z.optional(alertingSchema()),
  vmalert: () => z.optional(vmalertSchema()),
  credentials: () =>
    z.optional(strict({
      source: z.enum(['generate', 'variables'], {
        error: '"generate" (Terraform generates passwords) or "variables" (sensitive TF_VAR_* variables)',
      }),
    })),
};

/** Which optional keys a fleet file writes, mapping by mapping. */
interface KeysUsed {
  /** Top-level keys. */
  readonly fleet: (key: string) => boolean;
  /** Keys of `defaults` and of any host. */
  readonly settings: (key: string) => boolean;
  /** Keys of `interface`. */
  readonly interface: (key: string) => boolean;
}

/** The fleet file's schema, with the schemas of the keys `used` does not name left unbuilt. */
function fleetFileSchemaUsing(used: KeysUsed) {
  const settings = shapeOf(settingsParts, used.settings);
  return strict({
    hosts: z
      .array(
        strict({
          name: hostNameSchema,
          docker: dockerSchema(),
          addresses: z.array(addressSchema(), { error: 'a list of DNS names or IP addresses' }).check(z.minLength(1, {
            error: 'at least one DNS name or IP address other machines reach the host at',
          })),
          // The host's own BMC: per host only (a BMC address or login is never shared by `defaults`).
          ipmi: used.settings('ipmi') ? z.optional(ipmiSchema()) : absent(),
          ...settings,
        }),
        { error: 'a list of hosts' },
      )
      .check(z.minLength(1, { error: 'at least one host: an empty fleet deploys nothing' })),
    defaults: z.optional(strict(settings)),
    interface: strict(
      {
        host: z.string({ error: 'the name of the host that runs Grafana (one of hosts[].name)' }),
        ...shapeOf(interfaceParts, used.interface),
      },
      'a mapping naming the host that runs Grafana, e.g. "interface: { host: <a host name> }"',
    ),
    ...shapeOf(fleetParts, used.fleet),
  });
}

const everyKey = () => true;

/** The whole fleet file's schema (every key's schema built): for programs that check fleet files of their own. */
export const fleetFileSchema = /* @__PURE__ */ fleetFileSchemaUsing({ fleet: everyKey, settings: everyKey, interface: everyKey });

/** The own keys of `value` if it is a mapping. */
const keysOf = (value: unknown): string[] => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []);

const schemasByKeysUsed = new LruCache<string, ReturnType<typeof fleetFileSchemaUsing>>(16);

/**
 * The schema that checks `data` (a parsed fleet file) as {@link fleetFileSchema} does: the same
 * schemas for every key `data` writes, and nothing built for the keys it does not write.
 */
export function fleetFileSchemaFor(data: unknown): typeof fleetFileSchema {
  const settings = new Set(keysOf((data as { defaults?: unknown } | null)?.defaults));
  const hosts = (data as { hosts?: unknown } | null)?.hosts;
  if (Array.isArray(hosts)) for (const host of hosts) for (const key of keysOf(host)) settings.add(key);
  const fleet = new Set(keysOf(data));
  const ui = new Set(keysOf((data as { interface?: unknown } | null)?.interface));
  const signature = JSON.stringify([[...fleet].sort(), [...settings].sort(), [...ui].sort()]);
  let schema = schemasByKeysUsed.get(signature);
  if (schema === undefined) {
    schema = fleetFileSchemaUsing({ fleet: (key) => fleet.has(key), settings: (key) => settings.has(key), interface: (key) => ui.has(key) });
    schemasByKeysUsed.set(signature, schema);
  }
  return schema;
}

/** The fleet file as written (before defaults). */
export type FleetFile = z.infer<typeof fleetFileSchema>;
/** One host as written. */
export type HostEntry = FleetFile['hosts'][number];
/** `store:` as written. */
export type StoreEntry = z.infer<ReturnType<typeof storeSchema>>;
/** Settings shared by `defaults` and hosts, as written. */
export type HostSettings = NonNullable<FleetFile['defaults']>;
