import { PeekStackValidationError } from './errors';

/**
 * Prometheus rule groups in Prometheus's own shape (`groups[]` of a rule file), so a group written
 * for any Prometheus can be added as it is. No cdktf here: the renderers and tests use it too.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 */

/** A recording rule: `expr` evaluated and stored as the series `record`. */
export interface RecordingRule {
  /** Name of the series written, e.g. `host:power:watts` (a valid metric name). */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
  /**
   * Labels added to the stored series.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alerting rule: fires while `expr` returns series, after `for`. */
export interface AlertingRule {
  /** Alert name (letters, digits and `_`). */
  readonly alert: string;
  /** PromQL expression; every series it returns is a firing (or pending) alert. */
  readonly expr: string;
  /**
   * How long `expr` must hold before the alert fires (a Prometheus duration, e.g. `5m`).
   * @default - fires at the first evaluation
   */
  readonly for?: string;
  /**
   * Keep firing this long after `expr` stopped returning the series.
   * @default - resolves at once
   */
  readonly keep_firing_for?: string;
  /**
   * Labels added to the alert (e.g. `severity`).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations (`summary`, `description`, `runbook_url`...); templates may use `$labels` and `$value`.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One rule of either kind. */
export type Rule = RecordingRule | AlertingRule;

/** A rule group, evaluated together at one interval. */
export interface RuleGroup {
  /** Group name, unique within a Prometheus. */
  readonly name: string;
  /**
   * Evaluation interval (a Prometheus duration).
   * @default - Prometheus's evaluation interval
   */
  readonly interval?: string;
  /** The rules, evaluated in order. */
  readonly rules: readonly Rule[];
}

/** True for a recording rule. */
export function isRecordingRule(rule: Rule): rule is RecordingRule {
  return (rule as RecordingRule).record !== undefined;
}

/** A Prometheus duration such as `30s`, `5m` or `1h30m`. */
export const PROMETHEUS_DURATION = /^(?:\d+(?:ms|[smhdwy]))+$/;
/** A metric name (recording rules may use `:`). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** A label name. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const ALERTING_KEYS = new Set(['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
const RECORDING_KEYS = new Set(['record', 'expr', 'labels']);

function assertLabels(field: string, labels: unknown, what: string): void {
  if (labels === undefined) return;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new PeekStackValidationError(field, labels, `a mapping of ${what}`);
  }
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name)) throw new PeekStackValidationError(`${field}`, name, `${what} names of letters, digits and "_", not starting with a digit`);
    if (typeof value !== 'string') throw new PeekStackValidationError(`${field}.${name}`, value, `a string`);
  }
}

/**
 * Checks a rule group's shape the way Prometheus would load it, so a mistake fails at the call
 * (naming the group, the rule and the field) rather than when Prometheus starts on the host.
 * PromQL itself is checked by promtool in the tests.
 */
export function assertRuleGroup(field: string, group: RuleGroup): RuleGroup {
  if (typeof group !== 'object' || group === null) throw new PeekStackValidationError(field, group, 'a rule group { name, interval?, rules }');
  if (typeof group.name !== 'string' || group.name.trim() === '') {
    throw new PeekStackValidationError(`${field}.name`, group.name, 'a non-empty group name');
  }
  const where = `${field}[${group.name}]`;
  if (group.interval !== undefined && !PROMETHEUS_DURATION.test(String(group.interval))) {
    throw new PeekStackValidationError(`${where}.interval`, group.interval, 'a Prometheus duration such as "30s" or "1m"');
  }
  if (!Array.isArray(group.rules) || group.rules.length === 0) {
    throw new PeekStackValidationError(`${where}.rules`, group.rules, 'a non-empty list of rules');
  }
  group.rules.forEach((rule, index) => {
    const at = `${where}.rules[${index}]`;
    const record = (rule as RecordingRule).record;
    const alert = (rule as AlertingRule).alert;
    if ((record === undefined) === (alert === undefined)) {
      throw new PeekStackValidationError(at, rule, 'exactly one of "record" (a recording rule) or "alert" (an alerting rule)');
    }
    const allowedKeys = record !== undefined ? RECORDING_KEYS : ALERTING_KEYS;
    const unknown = Object.keys(rule).find((key) => !allowedKeys.has(key));
    if (unknown) throw new PeekStackValidationError(`${at}.${unknown}`, unknown, `one of the keys ${[...allowedKeys].join(', ')}`);
    if (record !== undefined && (typeof record !== 'string' || !METRIC_NAME.test(record))) {
      throw new PeekStackValidationError(`${at}.record`, record, 'a metric name (letters, digits, "_" and ":")');
    }
    if (alert !== undefined && (typeof alert !== 'string' || !LABEL_NAME.test(alert))) {
      throw new PeekStackValidationError(`${at}.alert`, alert, 'an alert name (letters, digits and "_")');
    }
    if (typeof rule.expr !== 'string' || rule.expr.trim() === '') {
      throw new PeekStackValidationError(`${at}.expr`, rule.expr, 'a non-empty PromQL expression');
    }
    for (const key of ['for', 'keep_firing_for'] as const) {
      const value = (rule as AlertingRule)[key];
      if (value !== undefined && !PROMETHEUS_DURATION.test(String(value))) {
        throw new PeekStackValidationError(`${at}.${key}`, value, 'a Prometheus duration such as "5m"');
      }
    }
    assertLabels(`${at}.labels`, rule.labels, 'label');
    assertLabels(`${at}.annotations`, (rule as AlertingRule).annotations, 'annotation');
  });
  return group;
}
