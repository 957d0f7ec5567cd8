import { RuleGroup } from '../rule-group';
import { toYaml } from './yaml';

/** A rendered rule file. */
export interface RenderedRuleFile {
  readonly fileName: string;
  readonly content: string;
}

/** Header of every rule file PeekStack renders. */
export const RULE_FILE_HEADER = 'Rendered by PeekStack CDK. Do not edit: it is replaced on every deploy.';

/** File of the rule groups PeekStack's own components bring. */
export const PEEKSTACK_RULE_FILE = 'peekstack.rules.yml';

/**
 * Renders a Prometheus rule file from groups in Prometheus's own shape. Pure: the same groups
 * always give the same text.
 */
export function renderRuleFile(groups: readonly RuleGroup[], header: string): string {
  // Keys in Prometheus's order, undefined fields left out (YAML leaves them out, as JSON does), so
  // the file reads like a hand-written one. The rules go as they are: plain data (assertRuleGroup).
  const clean = groups.map((group) => ({
    name: group.name,
    ...(group.interval !== undefined ? { interval: group.interval } : {}),
    rules: group.rules,
  }));
  return toYaml({ groups: clean }, header);
}
