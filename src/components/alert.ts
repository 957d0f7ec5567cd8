import { AlertingRule } from '../core/rule-group';

/** Severities PeekStack's alerts carry; Alertmanager routes on them. */
export type Severity = 'critical' | 'warning' | 'info';

/** The parts of one PeekStack alert; every alert has all three annotations. */
export interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  /** @default - fires at the first evaluation */
  readonly for?: string;
  readonly severity: Severity;
  /** One line; may use `{{ $labels.host }}`. */
  readonly summary: string;
  /** With the value (`{{ $value }}`, humanized) and the host. */
  readonly description: string;
  /** One line: what to do first. */
  readonly runbook: string;
  /** Extra labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alerting rule in Prometheus's shape, with `severity` and the `summary`, `description` and `runbook` annotations. */
export function alertRule(spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: { severity: spec.severity, ...spec.labels },
    annotations: { summary: spec.summary, description: spec.description, runbook: spec.runbook },
  };
}
