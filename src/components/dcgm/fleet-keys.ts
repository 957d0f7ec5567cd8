import * as z from 'zod/mini';
import { exporterSchema } from '../../config/schema-builders';

/**
 * The DCGM exporter (the GPU add-on)'s fleet-file keys, in a host's settings or `defaults`. Pure zod;
 * src/config/schema.ts gathers them (docs/fleet-file.md documents them).
 */

/** `exporters.dcgm`: turned off, or another pinned image. */
export const dcgmExporterKey = () => z.optional(exporterSchema());
