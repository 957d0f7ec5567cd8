import { RuleGroup } from '../core/rule-group';
import { LruCache } from '../core/lru-cache';
import { plainJsonKey, toYaml } from './yaml';

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
  // Every host of a fleet renders the same rule files (15 kB for PeekStack's own): the text is kept
  // by the document's JSON, which costs a tenth of writing the YAML again.
  const document = { groups: clean };
  const json = plainJsonKey(document);
  const key = json === undefined ? undefined : `${header}\0${json}`;
  const known = key === undefined ? undefined : recentRuleFiles.get(key);
  if (known !== undefined) return known;
  const text = toYaml(document, header);
  if (key === undefined) return text;
  recentRuleFiles.set(key, text);
  return text;
}

/**
 * Rule files kept (the oldest forgotten first): a host has a few, and hosts with other alert
 * thresholds have their own, so a few dozen cover a fleet of many kinds of hosts.
 */
const recentRuleFiles = new LruCache<string, string>(64);
