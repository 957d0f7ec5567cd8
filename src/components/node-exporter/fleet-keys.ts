import * as z from 'zod/mini';
import { exporterSchema, port } from '../../config/schema-builders';

/**
 * Node_exporter's fleet-file keys, in a host's settings or `defaults`. Pure zod;
 * src/config/schema.ts gathers them (docs/fleet-file.md documents them).
 */

/** `exporters.nodeExporter`: turned off, or another pinned image. */
export const nodeExporterExporterKey = () => z.optional(exporterSchema());

/** `ports.nodeExporter`: the port node_exporter is published on, on the host. */
export const nodeExporterPortKey = () => z.optional(port());
