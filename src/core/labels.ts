/**
 * Names that the renderers, rules, dashboards and the metric catalog must agree on: job names of
 * PeekStack's own components and the labels it adds. One place, no cdktf: the fleet schema, the
 * renderers and the dashboards import it without loading the constructs.
 */

/** Scrape job names of PeekStack's built-in components (the `job` label). */
export const JOB = {
  node: 'node',
  cadvisor: 'cadvisor',
  scaphandre: 'scaphandre',
  prometheus: 'prometheus',
} as const;

/** A built-in job name. */
export type BuiltinJobName = (typeof JOB)[keyof typeof JOB];

/** The label that names the host on every series, alert and remote-written sample. */
export const HOST_LABEL = 'host';

/** The Docker label that tells PeekStack's own containers apart (dashboards use it for self-cost). */
export const COMPONENT_LABEL = 'peekstack.component';

/**
 * {@link COMPONENT_LABEL} as cAdvisor exports it: `container_label_` and the Docker label with every
 * character outside `[a-zA-Z0-9_]` replaced by `_`.
 */
export const CADVISOR_COMPONENT_LABEL = `container_label_${COMPONENT_LABEL.replace(/[^a-zA-Z0-9_]/g, '_')}`;
