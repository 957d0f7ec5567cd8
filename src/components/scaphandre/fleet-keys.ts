import * as z from 'zod/mini';
import { PeekStackValidationError } from '../../core/errors';
import { flag, image, seconds, strict } from '../../config/schema-builders';
import { assertScaphandreInterval } from './floor';

/**
 * Scaphandre's fleet-file keys: `exporters.scaphandre:` of a host or of `defaults`. Pure zod;
 * src/config/schema.ts gathers it (docs/fleet-file.md documents it).
 */

/** `exporters.scaphandre`: turned off, another pinned image, or its own scrape interval (not under its floor). */
export const scaphandreExporterKey = () =>
  z.optional(strict({
    enabled: z.optional(flag()),
    image: z.optional(image()),
    // The floor (more than Scaphandre's 2 s refresh) is Scaphandre's (scaphandre.ts); the integer bound is Prometheus's.
    scrapeIntervalSeconds: z.optional(
      seconds().check(
        z.superRefine((value, ctx) => {
          try {
            assertScaphandreInterval('scaphandre', value);
          } catch (error) {
            if (!(error instanceof PeekStackValidationError)) throw error;
            ctx.addIssue({ code: 'custom', message: error.allowed });
          }
        }),
      ),
    ),
  }));
