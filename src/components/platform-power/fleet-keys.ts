import * as z from 'zod/mini';
import { strict, text } from '../../config/schema-builders';
import { POWER_MODEL_LIMITS, powerModelProblems } from './model';

/**
 * The platform-power component's fleet-file key: `power:` of a host or of `defaults`, the model where
 * nothing measures power. Pure zod; src/config/schema.ts gathers it (docs/fleet-file.md documents it).
 * Its checks are the construct's own (model.ts), each problem at its key.
 */
export const powerKey = () =>
  z.optional(strict({
    model: z.optional(
      strict({
        idleWatts: z.optional(z.number({ error: POWER_MODEL_LIMITS.watts })),
        maxWatts: z.optional(z.number({ error: POWER_MODEL_LIMITS.watts })),
        cpuModel: z.optional(text('a CPU model name, e.g. "Intel Xeon Gold 6230"')),
        sockets: z.optional(z.number({ error: POWER_MODEL_LIMITS.sockets })),
      }).check(z.superRefine((model, ctx) => {
        for (const problem of powerModelProblems(model)) {
          ctx.addIssue({ code: 'custom', path: problem.key === '' ? [] : [problem.key], message: problem.allowed, params: { found: problem.found } });
        }
      })),
    ),
  }));
