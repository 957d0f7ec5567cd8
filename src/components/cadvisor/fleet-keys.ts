import * as z from 'zod/mini';
import { exporterSchema } from '../../config/schema-builders';

/**
 * CAdvisor's fleet-file keys, in a host's settings or `defaults`. Pure zod;
 * src/config/schema.ts gathers them (docs/fleet-file.md documents them).
 */

/** `exporters.cadvisor`: turned off, or another pinned image. */
export const cadvisorExporterKey = () => z.optional(exporterSchema());
