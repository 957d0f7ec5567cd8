import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/**
 * The library as users get it: `npm pack` of the built package, installed into a fresh cdktf app
 * outside the repository, composing a Collector in the user's own stack, in JavaScript and in
 * type-checked TypeScript. `npm test` builds dist/ first.
 */
describe('the packed library in a fresh app', () => {
  const app = mkdtempSync(join(tmpdir(), 'peekstack-consumer-'));

  it('installs from the tarball and synthesizes a Collector composed by the user', () => {
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', app], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
    const deps = pkg.dependencies as Record<string, string>;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        dependencies: {
          'peekstack-cdk': `file:./${tarball}`,
          cdktf: deps.cdktf,
          constructs: deps.constructs,
          '@cdktf/provider-docker': deps['@cdktf/provider-docker'],
          '@cdktf/provider-random': deps['@cdktf/provider-random'],
          '@cdktf/provider-tls': deps['@cdktf/provider-tls'],
        },
      }),
    );
    // The packages are in npm's cache from the project's own install: no download needed.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, stdio: 'pipe' });
    writeFileSync(
      join(app, 'main.js'),
      `const { App, TerraformStack } = require('cdktf');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const { RandomProvider } = require('@cdktf/provider-random/lib/provider');
const { TlsProvider } = require('@cdktf/provider-tls/lib/provider');
const { Collector } = require('peekstack-cdk');
const app = new App({ outdir: 'out' });
const stack = new TerraformStack(app, 'my-monitoring');
new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
new RandomProvider(stack, 'random');
new TlsProvider(stack, 'tls');
new Collector(stack, 'lab', { hostName: 'lab-1', addresses: ['10.1.2.3'], scaphandre: { scrapeIntervalSeconds: 5 } });
app.synth();
`,
    );
    execFileSync('node', ['main.js'], { cwd: app, stdio: 'pipe' });
    const synth = JSON.parse(readFileSync(join(app, 'out/stacks/my-monitoring/cdk.tf.json'), 'utf8'));
    const names = Object.values(synth.resource.docker_container as Record<string, { name: string }>).map((c) => c.name).sort();
    expect(names).toEqual(['peekstack-cadvisor', 'peekstack-node-exporter', 'peekstack-prometheus', 'peekstack-scaphandre']);
  });

  it('ships declarations that type-check a TypeScript consumer', () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { App, TerraformStack } from 'cdktf';
import { Collector, CollectorProps, InterfaceStack, renderPrometheusConfig, buildDashboards, parseFleet } from 'peekstack-cdk';
const props: CollectorProps = { hostName: 'x', addresses: ['x.example'] };
const stack = new TerraformStack(new App(), 's');
const collector: Collector = new Collector(stack, 'c', props);
const url: string = collector.prometheusUrl;
export { url, InterfaceStack, renderPrometheusConfig, buildDashboards, parseFleet };
`,
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }));
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync('node', [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe', encoding: 'utf8' })).not.toThrow();
  });
});
