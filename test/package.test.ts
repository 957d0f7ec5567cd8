import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { materializeUploads } from './support/deployed-files';
import { makeTestSecrets } from './support/test-secrets';
import { toolPath } from './real/tools';
import { BIND_MOUNTS_SCRIPT } from './real/mount-namespace';
import type { UntypedJson } from './support/untyped-json';

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
    expect(names).toEqual(['peekstack-blackbox', 'peekstack-cadvisor', 'peekstack-node-exporter', 'peekstack-prometheus', 'peekstack-scaphandre']);
    // npm copies the providers (hundreds of MB) from its cache: 15 s on an idle machine, past a
    // minute while the real-binary files run beside it.
  }, 180_000);

  it('builds a whole fleet with the exported Fleet, no CLI: every stack byte for byte as `peekstack synth` writes it', () => {
    writeFileSync(
      join(app, 'fleet.js'),
      `const { App } = require('cdktf');
const { Fleet, loadFleetFile } = require('peekstack-cdk');
const app = new App({ outdir: process.argv[3] });
const fleet = new Fleet(app, 'fleet', loadFleetFile(process.argv[2]));
if (fleet.collectors.length === 0) throw new Error('no collectors');
app.synth();
`,
    );
    const fleetFile = join(REPO, 'stacks', 'fleet.example.yaml');
    execFileSync('node', ['fleet.js', fleetFile, 'library'], { cwd: app, stdio: 'pipe' });
    execFileSync(process.execPath, [join(REPO, 'dist', 'bin', 'peekstack.js'), 'synth', '--fleet', fleetFile, '--out', join(app, 'cli')], { stdio: 'pipe' });
    const stacks = readdirSync(join(app, 'cli', 'stacks')).sort();
    expect(stacks).toEqual(['collector-db-1', 'collector-gpu-1', 'collector-ops', 'collector-web-1', 'hub', 'interface']);
    expect(readdirSync(join(app, 'library', 'stacks')).sort()).toEqual(stacks);
    for (const stack of stacks) {
      expect(readFileSync(join(app, 'library', 'stacks', stack, 'cdk.tf.json'), 'utf8'), stack).toBe(readFileSync(join(app, 'cli', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  });

  it('ships declarations that type-check a TypeScript consumer', () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { App, TerraformStack } from 'cdktf';
import { Collector, CollectorProps, Fleet, InterfaceStack, renderPrometheusConfig, buildDashboards, parseFleet } from 'peekstack-cdk';
const props: CollectorProps = { hostName: 'x', addresses: ['x.example'] };
const stack = new TerraformStack(new App(), 's');
const collector: Collector = new Collector(stack, 'c', props);
const url: string = collector.prometheusUrl;
const fleet: Fleet = new Fleet(new App(), 'fleet', parseFleet('hosts: [{ name: a, addresses: [a.example] }]\\ninterface: { host: a }\\n', 'fleet.yaml'));
export { url, fleet, InterfaceStack, renderPrometheusConfig, buildDashboards, parseFleet };
`,
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }));
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync('node', [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe', encoding: 'utf8' })).not.toThrow();
  });

  it('runs the "Extending" example of docs/extending.md: the user\'s job, rules, remote_write and dashboard beside PeekStack\'s, images from the mirror, files that promtool 3.x accepts', () => {
    const readme = readFileSync(join(REPO, 'docs', 'extending.md'), 'utf8');
    const example = /<!-- example: extending -->\n```ts\n([\s\S]+?)\n```/.exec(readme)?.[1];
    expect(example, 'docs/extending.md has the extending example').toBeDefined();
    const secrets = makeTestSecrets();
    // The example reads the central store's CA from a file, as a user would.
    writeFileSync(join(app, 'central-ca.pem'), secrets.caPem);
    writeFileSync(join(app, 'extending.ts'), example!);
    writeFileSync(
      join(app, 'tsconfig.extending.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', outDir: 'compiled', skipLibCheck: true, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] },
        files: ['extending.ts'],
      }),
    );
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    execFileSync('node', [tsc, '-p', 'tsconfig.extending.json'], { cwd: app, stdio: 'pipe', encoding: 'utf8' });
    execFileSync('node', ['compiled/extending.js'], { cwd: app, stdio: 'pipe' });

    const lab = JSON.parse(readFileSync(join(app, 'cdktf.out/stacks/lab/cdk.tf.json'), 'utf8'));
    const containers = Object.values(lab.resource.docker_container as Record<string, UntypedJson>);
    const prometheus = containers.find((c) => c.name === 'peekstack-prometheus');
    const root = materializeUploads(prometheus, secrets);
    const config = parse(readFileSync(join(root, 'etc/prometheus/prometheus.yml'), 'utf8'));
    expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toEqual(['node', 'cadvisor', 'scaphandre', 'blackbox-prometheus', 'blackbox-node-exporter', 'jobs', 'prometheus']);
    expect(config.remote_write).toEqual([
      expect.objectContaining({
        name: 'central',
        url: 'https://metrics.example.net/api/v1/write',
        headers: { 'X-Scope-OrgID': 'lab' },
        basic_auth: { username: 'lab-1', password_file: '/etc/prometheus/secrets/remote-write-central.password' },
        tls_config: { ca_file: '/etc/prometheus/tls/remote-write-central-ca.crt', min_version: 'TLS12' },
      }),
    ]);
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/peekstack.rules.yml', '/etc/prometheus/rules/energy.rules.yml', '/etc/prometheus/rules/power-split.rules.yml', '/etc/prometheus/rules/platform-power.rules.yml', '/etc/prometheus/rules/jobs.rules.yml']);
    // The user's exporter joined the collector's network; the remote_write password is a variable reference.
    expect(containers.find((c) => c.name === 'jobs-exporter').networks_advanced).toHaveLength(1);
    expect(readFileSync(join(root, 'etc/prometheus/secrets/remote-write-central.password'), 'utf8')).toBe('${var.central_store_password}');

    // promtool 3.x, at the paths the container sees, on the files exactly as rendered.
    const promtoolIn = (...args: string[]) => execFileSync(BIND_MOUNTS_SCRIPT, ['-b', `${join(root, 'etc/prometheus')}:/etc/prometheus`, toolPath('promtool'), ...args], { encoding: 'utf8', stdio: 'pipe' });
    expect(promtoolIn('check', 'config', '/etc/prometheus/prometheus.yml')).toContain('SUCCESS');
    const peekstackRules = promtoolIn('check', 'rules', '/etc/prometheus/rules/peekstack.rules.yml');
    expect(peekstackRules).toMatch(/SUCCESS: [1-9]\d* rules found/);
    expect(promtoolIn('check', 'rules', '/etc/prometheus/rules/jobs.rules.yml')).toContain('SUCCESS: 1 rules found');
    expect(promtoolIn('check', 'rules', '/etc/prometheus/rules/platform-power.rules.yml')).toContain('SUCCESS: 4 rules found');

    // Every image, PeekStack's and the user's, from the mirror with its pinned tag.
    const images = [lab, JSON.parse(readFileSync(join(app, 'cdktf.out/stacks/ui/cdk.tf.json'), 'utf8'))].flatMap((stack) =>
      Object.values(stack.resource.docker_image as Record<string, { name: string }>).map((image) => image.name),
    );
    expect(images.length).toBeGreaterThanOrEqual(6);
    for (const image of images) expect(image).toMatch(/^mirror\.example:5000\/[^:]+:[^:]+$/);
    expect(images).toContain('mirror.example:5000/example/jobs-exporter:1.4.0');

    // The user's dashboard is provisioned beside the built-in ones.
    const ui = JSON.parse(readFileSync(join(app, 'cdktf.out/stacks/ui/cdk.tf.json'), 'utf8'));
    const grafana = Object.values(ui.resource.docker_container as Record<string, UntypedJson>).find((c) => c.name === 'peekstack-grafana');
    const dashboards = (grafana.upload as { file: string }[]).map((u) => u.file).filter((f) => f.endsWith('.json')).sort();
    expect(dashboards).toEqual([
      '/etc/grafana/dashboards/peekstack/jobs.json',
      '/etc/grafana/dashboards/peekstack/peekstack-containers.json',
      '/etc/grafana/dashboards/peekstack/peekstack-power.json',
      '/etc/grafana/dashboards/peekstack/peekstack-system.json',
    ]);
  });
});
