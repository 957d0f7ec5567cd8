import { NODE_EXPORTER_DEFAULTS } from '../../core/defaults';
import { DEFAULT_IMAGES } from '../../core/images';
import { assertPinnedImage, assertPort } from '../../core/validate';

/** node_exporter's settings a fleet file gives, checked in one place: by the construct and by `peekstack validate`. Pure. */
export interface NodeExporterSettings {
  readonly image: string;
  readonly port: number;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a bad value. */
export function resolveNodeExporterSettings(props: Partial<NodeExporterSettings>): NodeExporterSettings {
  return {
    image: assertPinnedImage('NodeExporter.image', props.image ?? DEFAULT_IMAGES.nodeExporter),
    port: assertPort('NodeExporter.port', props.port ?? NODE_EXPORTER_DEFAULTS.port),
  };
}
