'use strict';
/**
 * The framework's floor: the smallest cdktf app with the packages PeekStack uses (cdktf, the Docker
 * provider) — one stack, one container — synthesized into the directory given as the first argument
 * (default: a fresh temp directory). scripts/bench-synth.mjs times PeekStack's commands against it,
 * alternately in one run, so that the ratios hold on a shared, noisy machine.
 *
 * Plain JavaScript on purpose: nothing to compile, so it measures loading and synthesis only.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { App, TerraformStack } = require('cdktf');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const { Container } = require('@cdktf/provider-docker/lib/container');

const outdir = process.argv[2] || mkdtempSync(join(tmpdir(), 'peekstack-floor-'));
const app = new App({ outdir });
const stack = new TerraformStack(app, 'floor');
new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
new Container(stack, 'container', { name: 'floor', image: 'prom/prometheus:v3.5.3' });
app.synth();
