import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, Fn, Lazy, S3Backend, TerraformIterator, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerLabels } from '../../../src/constructs/aspects';
import { CollectorStack } from '../../../src/fleet/collector-stack';
import { synthesizeStacks } from '../../../src/cli/fast/synthesize';

/**
 * synthesizeStacks resolves each element once (src/resolve-once.ts): what it writes must be, byte
 * for byte, what cdktf's own App.synth() writes, whatever the stacks hold.
 */

const work = mkdtempSync(join(tmpdir(), 'peekstack-resolve-once-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;

/** Builds the same app twice, writes it with App.synth() and with synthesizeStacks, and returns both outputs' files. */
function bothWays(build: (app: App) => void): { stock: Record<string, string>; ours: Record<string, string> } {
  const stockDir = join(work, `stock-${counter}`);
  const stockApp = new App({ outdir: stockDir });
  build(stockApp);
  stockApp.synth();
  const oursDir = join(work, `ours-${counter++}`);
  const oursApp = new App({ outdir: oursDir });
  build(oursApp);
  const stacks = oursApp.node.children.filter((child): child is TerraformStack => TerraformStack.isStack(child));
  synthesizeStacks(oursApp, stacks);
  return { stock: filesOf(stockDir), ours: filesOf(oursDir) };
}

/** Every written stack's JSON and the manifest, by path. */
function filesOf(outdir: string): Record<string, string> {
  const files: Record<string, string> = { 'manifest.json': readFileSync(join(outdir, 'manifest.json'), 'utf8') };
  for (const stack of readdirSync(join(outdir, 'stacks'))) files[stack] = readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
  return files;
}

/** A stack with a Docker provider and one container. */
function dockerStack(app: App, id: string): { stack: TerraformStack; container: Container } {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  const container = new Container(stack, 'web', { name: `${id}-web`, image: 'example/web:1.0', env: ['A=1'] });
  return { stack, container };
}

describe('synthesizeStacks writes what App.synth() writes', () => {
  it('stacks reading each other: cross-stack outputs and remote states added by preparation', () => {
    const { stock, ours } = bothWays((app) => {
      const origin = dockerStack(app, 'origin');
      const reader = dockerStack(app, 'reader');
      new Container(reader.stack, 'follower', { name: Fn.join('-', [origin.container.name, 'follower']), image: origin.container.image });
      new TerraformOutput(reader.stack, 'origin-id', { value: origin.container.id });
    });
    expect(Object.keys(ours).sort()).toEqual(['manifest.json', 'origin', 'reader']);
    expect(ours).toEqual(stock);
    expect(ours.origin).toContain('cross-stack-output-');
    expect(ours.reader).toContain('terraform_remote_state');
  });

  it('raw overrides of the stack, a token among them, and overrides of an element', () => {
    const { stock, ours } = bothWays((app) => {
      const { stack, container } = dockerStack(app, 'overridden');
      new S3Backend(stack, { bucket: 'state', key: 'overridden.tfstate', region: 'eu-west-1' });
      const variable = new TerraformVariable(stack, 'mode', { type: 'string', default: 'fast' });
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      stack.addOverride('locals.mode', variable.stringValue);
      container.addOverride('restart', 'always');
    });
    expect(ours).toEqual(stock);
    expect(ours.overridden).toContain('"use_lockfile": true');
    expect(ours.overridden).toContain('"mode": "${var.mode}"');
  });

  it('dynamic blocks and iterators (tokens that set flags of the resolution below them)', () => {
    const { stock, ours } = bothWays((app) => {
      const { stack } = dockerStack(app, 'iterated');
      const ports = new TerraformVariable(stack, 'ports', { type: 'list(number)', default: [80, 443] });
      const iterator = TerraformIterator.fromList(ports.listValue);
      new Container(stack, 'each', {
        name: 'each',
        image: 'example/each:1',
        ports: iterator.dynamic({ internal: iterator.value, external: Fn.sum([iterator.value, 1000]) }),
      });
    });
    expect(ours).toEqual(stock);
    expect(ours.iterated).toContain('"dynamic"');
  });

  it('a PeekStack collector: every rendered file, web config and certificate', () => {
    const { stock, ours } = bothWays((app) => {
      new CollectorStack(app, 'collector-lab-1', { hostName: 'lab-1', addresses: ['lab-1.example'] });
    });
    expect(ours).toEqual(stock);
  });

  // cdktf 0.21 invokes the aspects of a stack and of what is in it, not those of the app above it:
  // `applied` says whether the labels show, the same in both outputs.
  it.each([
    ['on the app', false, (app: App) => Aspects.of(app).add(new DockerLabels({ team: 'energy' }))],
    ['on a stack', true, (app: App) => Aspects.of(app.node.findChild('second')).add(new DockerLabels({ team: 'energy' }))],
    ['on a construct in a stack', true, (app: App) => Aspects.of(app.node.findChild('second').node.findChild('web')).add(new DockerLabels({ team: 'energy' }))],
  ])('an aspect %s, which may change elements after preparation', (_, applied, addAspect) => {
    const { stock, ours } = bothWays((app) => {
      dockerStack(app, 'first');
      dockerStack(app, 'second');
      addAspect(app);
    });
    expect(ours).toEqual(stock);
    expect(ours.second.includes('"label": "team"')).toBe(applied);
  });
});

describe('what it saves', () => {
  it('an element is resolved once instead of twice: a lazy value is produced once', () => {
    const produced = { ours: 0, stock: 0 };
    let counting: keyof typeof produced = 'stock';
    bothWays((app) => {
      const { stack } = dockerStack(app, 'lazy');
      const which = counting;
      new Container(stack, 'lazy-web', {
        name: 'lazy-web',
        image: Lazy.stringValue({ produce: () => `example/lazy:${++produced[which]}` }),
      });
      counting = 'ours';
    });
    expect(produced).toEqual({ stock: 2, ours: 1 });
  });
});
