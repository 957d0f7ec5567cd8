import * as z from 'zod/mini';
import { ALERT_THRESHOLD_BOUNDS, AlertThresholds, thresholdAllowed, thresholdInRange } from '../core/alert-thresholds';
import { ALERTMANAGER_DEFAULTS, PORT_BOUNDS } from '../core/defaults';
import { ALERT_SEVERITIES } from '../render/alertmanager-config';
import { integer, strict, text } from './schema-builders';
import { heartbeatSchema } from './vmalert-schema';

/**
 * The fleet file's `alerting:` section (Alertmanager on the hub, its receivers and routes) and the
 * per-host `alertThresholds:`. Receivers name the sensitive Terraform variable holding their secret
 * (`secretVariable`): the secret itself never appears in the file.
 */

/** A Terraform variable name the hub stack declares (sensitive); set it as TF_VAR_<name>. */
export const SECRET_VARIABLE_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The `alerting:` section. Built only for a fleet file that has one (schema.ts builds the schemas of
 * the keys a file writes): most have none.
 */
export function alertingSchema() {
  const secretVariable = z
    .string({ error: 'the name of the sensitive Terraform variable holding the secret (set as TF_VAR_<name>), e.g. alerting_slack_url' })
    .check(z.regex(SECRET_VARIABLE_PATTERN, { error: 'a Terraform variable name: lower-case letters, digits and "_", starting with a letter' }));
  const receiverName = z.string({ error: 'a receiver name' }).check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, { error: 'a receiver name: letters, digits, "_" and "-"' }));
  const email = z.string({ error: 'an email address' }).check(z.regex(/^[^\s@]+@[^\s@]+$/, { error: 'an email address' }));
  const receiverSchema = z.discriminatedUnion(
    'type',
    [
      strict({
        name: receiverName,
        type: z.literal('webhook'),
        url: z.string({ error: 'an http(s) URL without credentials' }).check(z.regex(/^https?:\/\/[^/@\s]+(\/\S*)?$/, { error: 'an http(s) URL without credentials' })),
        secretVariable: z.optional(secretVariable),
      }),
      strict({
        name: receiverName,
        type: z.literal('email'),
        to: email,
        from: email,
        smarthost: z.string({ error: 'host:port of the SMTP server' }).check(z.regex(/^[^\s:/]+:\d{1,5}$/, { error: 'host:port of the SMTP server' })),
        username: z.optional(text('the SMTP user name')),
        secretVariable,
      }),
      strict({ name: receiverName, type: z.literal('slack'), channel: z.optional(text('a Slack channel such as "#ops"')), secretVariable }),
      strict({ name: receiverName, type: z.literal('pagerduty'), secretVariable }),
    ],
    { error: 'a receiver with type webhook, email, slack or pagerduty' },
  );

  const { bounds } = ALERTMANAGER_DEFAULTS;
  return strict({
    port: z.optional(integer(PORT_BOUNDS.min, PORT_BOUNDS.max, '(a TCP port)')),
    peerHost: z.optional(text('the name of a host of the fleet, other than the hub\'s, to run a second Alertmanager on')),
    clusterPort: z.optional(integer(PORT_BOUNDS.min, PORT_BOUNDS.max, '(a TCP port)')),
    image: z.optional(text('an image reference such as "prom/alertmanager:v0.33.1"')),
    receivers: z.array(receiverSchema, { error: 'a list of receivers' }).check(z.minLength(1, { error: 'at least one receiver' })),
    defaultReceiver: z.optional(text('the name of a receiver')),
    routes: z.optional(
      z.array(strict({ severity: z.enum(ALERT_SEVERITIES, { error: `one of ${ALERT_SEVERITIES.join(', ')}` }), receiver: text('the name of a receiver') }), { error: 'a list of routes' }),
    ),
    groupWaitSeconds: z.optional(integer(bounds.groupWaitSeconds.min, bounds.groupWaitSeconds.max, 'seconds')),
    groupIntervalSeconds: z.optional(integer(bounds.groupIntervalSeconds.min, bounds.groupIntervalSeconds.max, 'seconds')),
    repeatIntervalSeconds: z.optional(integer(bounds.repeatIntervalSeconds.min, bounds.repeatIntervalSeconds.max, 'seconds')),
    heartbeat: z.optional(heartbeatSchema(secretVariable)),
  });
}

/** Per-host thresholds (in `defaults` or a host), each checked against its bounds. */
export const alertThresholdsSchema = () =>
  strict(
    Object.fromEntries(
      (Object.keys(ALERT_THRESHOLD_BOUNDS) as (keyof AlertThresholds)[]).map((key) => [
        key,
        z.optional(z.number({ error: thresholdAllowed(key) }).check(z.refine((value) => thresholdInRange(key, value), { error: thresholdAllowed(key) }))),
      ]),
    ) as { [K in keyof AlertThresholds]-?: z.ZodMiniOptional<z.ZodMiniNumber> },
  );

/** The `alerting:` section as written. */
export type AlertingEntry = z.infer<ReturnType<typeof alertingSchema>>;
/** One receiver as written. */
export type ReceiverEntry = AlertingEntry['receivers'][number];
