#!/usr/bin/env node
/**
 * Reports whether PeekStack CDK can move from the archived CDK for Terraform (cdktf 0.21) to its
 * community fork CDK Terrain (cdktn): asks the npm registry for each package the move needs and
 * compares their requirements with this machine's Node. Never fails the build: CI runs it so the
 * log says, on the day it becomes true, that the move is possible (docs/cdk-terrain.md).
 *
 *   node scripts/cdktn-readiness.mjs            # a report; exit 0 whatever it finds
 *   node scripts/cdktn-readiness.mjs --json     # the same as JSON
 *   node scripts/cdktn-readiness.mjs --strict   # exit 1 while the move is blocked (for a person, not CI)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the move needs: each cdktf package we use and its cdktn counterpart. */
const COUNTERPARTS = [
  { ours: 'cdktf', theirs: 'cdktn' },
  { ours: 'cdktf-cli', theirs: 'cdktn-cli' },
  { ours: '@cdktf/provider-docker', theirs: '@cdktn/provider-docker' },
  { ours: '@cdktf/provider-random', theirs: '@cdktn/provider-random' },
  { ours: '@cdktf/provider-tls', theirs: '@cdktn/provider-tls' },
];

/** The registry's answer for `name`: its latest version and the Node it asks for, or why there is none. */
async function lookUp(name) {
  try {
    const { stdout } = await run('npm', ['view', '--json', name, 'version', 'engines'], { timeout: 30_000 });
    const data = JSON.parse(stdout || '{}');
    const info = typeof data === 'string' ? { version: data } : data;
    return { name, found: true, version: info.version, node: info.engines?.node };
  } catch (error) {
    const text = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    if (/E404|404 Not Found|is not in this registry/.test(text)) return { name, found: false, reason: 'not published on the registry reached' };
    return { name, found: false, reason: `registry not answering (${(text.split('\n').find((line) => line.trim()) ?? String(error.message)).slice(0, 120)})` };
  }
}

/** Whether `version` (x.y.z) satisfies a ">=x.y.z" range; other ranges are reported as unknown. */
function nodeSatisfies(range, version = process.versions.node) {
  if (!range) return true;
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) return undefined;
  const have = version.split('.').map(Number);
  const want = match.slice(1).map(Number);
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const results = await Promise.all(COUNTERPARTS.map(async (pair) => ({ ...pair, ...(await lookUp(pair.theirs)) })));
const blockers = [];
for (const result of results) {
  if (!result.found) blockers.push(`${result.theirs}: ${result.reason} (we use ${result.ours})`);
  else if (nodeSatisfies(result.node) === false) blockers.push(`${result.theirs}@${result.version} needs Node ${result.node}; this machine runs ${process.versions.node}`);
}
const ready = blockers.length === 0;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ready, node: process.versions.node, packages: results, blockers }, null, 2));
} else {
  console.log(`CDK Terrain readiness (Node ${process.versions.node}):`);
  for (const result of results) console.log(`  ${result.theirs.padEnd(24)} ${result.found ? `${result.version}${result.node ? ` (node ${result.node})` : ''}` : `missing: ${result.reason}`}`);
  console.log(ready ? 'READY: every package the move needs is published and runs here; see docs/cdk-terrain.md' : `blocked:\n${blockers.map((line) => `  - ${line}`).join('\n')}`);
}
process.exit(process.argv.includes('--strict') && !ready ? 1 : 0);
