/**
 * Adding an exporter is one folder and one registry line: a copy of src/ gets the fixture
 * component folder (test/fixtures/component/) and one line in src/components/registry.ts, nothing
 * else; a collector and an interface built from that copy scrape the job, load its rules (with the
 * host's thresholds) and provision its dashboard.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { build } from 'esbuild';
import { containerNamed, uploadedFile } from './support/synth';

const ROOT = resolve(__dirname, '..');

describe('a component folder and one registry line', () => {
  it('is all it takes: the job, its rules and its dashboard appear', async () => {
    const work = mkdtempSync(join(tmpdir(), 'peekstack-component-folder-'));
    try {
      cpSync(join(ROOT, 'src'), join(work, 'src'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
      mkdirSync(join(work, 'src', 'components', 'fixture-exporter'));
      cpSync(join(ROOT, 'test', 'fixtures', 'component', 'fixture-exporter.ts'), join(work, 'src', 'components', 'fixture-exporter', 'fixture-exporter.ts'));
      const registryFile = join(work, 'src', 'components', 'registry.ts');
      const registry = readFileSync(registryFile, 'utf8');
      const line = "  () => require('./fixture-exporter/fixture-exporter').fixtureExporterComponent(),\n";
      const edited = registry.replace(/\n\];\s*$/, `\n${line}];\n`);
      expect(edited).not.toBe(registry);
      writeFileSync(registryFile, edited);

      writeFileSync(
        join(work, 'entry.ts'),
        `import { App } from 'cdktf';
import { CollectorStack } from './src/fleet/collector-stack';
import { InterfaceStack } from './src/fleet/interface-stack';
const app = new App({ outdir: process.argv[2] });
const collector = new CollectorStack(app, 'collector-lab', { hostName: 'lab', addresses: ['lab.example'], alertThresholds: { cpuBusyPercent: 77 } });
new InterfaceStack(app, 'interface', { collectors: [collector.collector] });
app.synth();
`,
      );
      await build({ entryPoints: [join(work, 'entry.ts')], outfile: join(work, 'entry.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'error', absWorkingDir: work });
      const out = join(work, 'out');
      const run = spawnSync(process.execPath, [join(work, 'entry.js'), out], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);

      const stack = (name: string) => JSON.parse(readFileSync(join(out, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      const prometheus = containerNamed(stack('collector-lab'), 'peekstack-prometheus');
      const config = parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml'));
      expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toContain('fixture');
      expect(config.rule_files).toContain('/etc/prometheus/rules/fixture-exporter.rules.yml');
      const rules = parse(uploadedFile(prometheus, '/etc/prometheus/rules/fixture-exporter.rules.yml'));
      expect(rules.groups[0].rules[0].expr).toBe('rate(fixture_widgets_total{job="fixture"}[5m]) > 77');
      expect(containerNamed(stack('collector-lab'), 'peekstack-fixture-exporter').networks_advanced).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.stringContaining('docker_network') })]));
      const grafana = containerNamed(stack('interface'), 'peekstack-grafana');
      expect(JSON.parse(uploadedFile(grafana, '/etc/grafana/dashboards/peekstack/fixture-widgets.json')).title).toBe('Fixture widgets');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
