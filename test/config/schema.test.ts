import { describe, expect, it } from 'vitest';
import { Testing, TerraformStack } from 'cdktf';
import { Collector } from '../../src/collector';
import { collectorStackName, HOST_NAME_PATTERN, variablePrefix } from '../../src/config';
import { hostNameSchema } from '../../src/config/schema';
import { TERRAFORM_IDENTIFIER } from '../../src/config/stack-names';

const NAMES = ['a', 'web-1', '1', '0a', 'a-b-c', 'a'.repeat(63), 'a'.repeat(64), 'Web', 'web_1', '-a', 'a-', '', 'a.b', 'ä', ' a'];

/** Whether Collector accepts `name` as its hostName. */
function collectorAccepts(name: string): boolean {
  const stack = new TerraformStack(Testing.app(), 's');
  try {
    new Collector(stack, 'c', { hostName: name, addresses: ['192.0.2.1'] });
    return true;
  } catch {
    return false;
  }
}

describe('host names', () => {
  it('the fleet file accepts exactly the names Collector accepts', () => {
    for (const name of NAMES) {
      expect({ name, file: hostNameSchema.safeParse(name).success }).toEqual({ name, file: collectorAccepts(name) });
    }
  });

  it('every accepted name gives a valid, distinct Terraform identifier as stack name and variable prefix', () => {
    const accepted = NAMES.filter((name) => HOST_NAME_PATTERN.test(name));
    const stacks = accepted.map(collectorStackName);
    for (const stack of stacks) {
      expect(stack).toMatch(TERRAFORM_IDENTIFIER);
      expect(variablePrefix(stack)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    expect(new Set(stacks).size).toBe(stacks.length);
    expect(new Set(stacks.map(variablePrefix)).size).toBe(stacks.length);
    expect(collectorStackName('web-1')).toBe('collector-web-1');
  });
});
