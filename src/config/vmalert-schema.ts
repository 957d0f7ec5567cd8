import * as z from 'zod/mini';
import { VMALERT_DEFAULTS } from '../core/defaults';
import { integer, strict, text } from './schema-builders';

/**
 * The fleet file's `vmalert:` section: vmalert on the hub (the fleet rules, the hub's own health,
 * the Watchdog) and the fleet's budget. Built only for a file that has one.
 */

/** A budget: a number above 0 (a budget of 0 or less would fire at once, for ever). */
const budget = (unit: string) => {
  const error = `a number above 0 (${unit})`;
  return z.number({ error }).check(z.gt(0, { error }), z.refine(Number.isFinite, { error }));
};

/** The `vmalert:` section. */
export function vmalertSchema() {
  const { bounds } = VMALERT_DEFAULTS;
  return strict({
    enabled: z.optional(z.boolean({ error: 'true or false' })),
    evaluationIntervalSeconds: z.optional(integer(bounds.evaluationIntervalSeconds.min, bounds.evaluationIntervalSeconds.max, 'seconds')),
    image: z.optional(text('an image reference such as "victoriametrics/vmalert:v1.149.0"')),
    budget: z.optional(strict({ powerWatts: z.optional(budget('watts: the fleet\'s mean power over 15 minutes')), dailyEnergyKwh: z.optional(budget('kWh: the fleet\'s energy over 24 hours')) })),
  });
}

/** The `heartbeat:` of `alerting:`: the dead man's switch's receiver. */
export function heartbeatSchema(secretVariable: z.ZodMiniType<string>) {
  const { bounds } = VMALERT_DEFAULTS;
  return strict(
    {
      secretVariable,
      intervalSeconds: z.optional(integer(bounds.heartbeatIntervalSeconds.min, bounds.heartbeatIntervalSeconds.max, 'seconds')),
    },
    'a mapping: { secretVariable: <the variable holding the heartbeat URL>, intervalSeconds: 60 }',
  );
}

/** The `vmalert:` section as written. */
export type VmalertEntry = z.infer<ReturnType<typeof vmalertSchema>>;
