import { App, Testing, TerraformStack } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { uploadText } from './deployed-files';
import type { UntypedJson } from './untyped-json';

/** The synthesized JSON of a stack, typed loosely for assertions. */
export interface SynthesizedStack {
  resource: Record<string, Record<string, Record<string, UntypedJson>>>;
  data?: Record<string, Record<string, Record<string, UntypedJson>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  variable?: Record<string, { type?: string; sensitive?: boolean; nullable?: boolean; description?: string }>;
  terraform: Record<string, UntypedJson>;
  provider?: Record<string, UntypedJson[]>;
}

/** Synthesizes what `build` adds to a fresh stack that has the docker, random and tls providers. */
export function synthConstructs(build: (scope: Construct) => void): SynthesizedStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

/**
 * Synthesizes a whole stack as the app would, cross-stack references included (`Testing.synth`
 * skips the app-level pass that turns them into outputs and remote-state reads).
 */
export function synthStack(stack: TerraformStack): SynthesizedStack {
  const app = stack.node.root as App;
  app.synth();
  return JSON.parse(readFileSync(join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
}

/** A fresh app for stacks. */
export function testApp(): App {
  return Testing.app();
}

/** The resources of one type, as a list. */
export function resourcesOf(synth: SynthesizedStack, type: string): Record<string, UntypedJson>[] {
  return Object.values(synth.resource[type] ?? {});
}

/** The container with this name. */
export function containerNamed(synth: SynthesizedStack, name: string): Record<string, UntypedJson> {
  const container = resourcesOf(synth, 'docker_container').find((c) => c.name === name);
  if (!container) throw new Error(`no docker_container named ${name}; have ${resourcesOf(synth, 'docker_container').map((c) => c.name).join(', ')}`);
  return container;
}

/** The decoded text of a file uploaded into a container. */
export function uploadedFile(container: Record<string, UntypedJson>, path: string): string {
  const upload = (container.upload as UntypedJson[]).find((u) => u.file === path);
  if (!upload) throw new Error(`no upload ${path}; have ${(container.upload as UntypedJson[]).map((u) => u.file).join(', ')}`);
  return uploadText(upload);
}
