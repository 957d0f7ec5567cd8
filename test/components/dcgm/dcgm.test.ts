/**
 * The GPU add-on (NVIDIA DCGM exporter), written against the public API only. There is no NVIDIA
 * GPU on the machines that run these tests, so the exporter itself cannot run: its catalog is
 * checked against a fixture exposition of its default counters (test/fixtures/dcgm-metrics.prom),
 * and its dashboard queries are evaluated by the real promtool on synthetic series of those metrics.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { parse, stringify } from 'yaml';
import { DCGM_METRICS, DcgmExporter, gpuPowerDashboard } from '../../../src/components/dcgm/dcgm';
import { Collector } from '../../../src/collector/collector';
import { Interface } from '../../../src/interface/interface';
import { dashboardQueries, substituteVariables } from '../../../src/dashboards/dashboard-queries';
import { toolPath } from '../../real/tools';
import { containerNamed, uploadedFile } from '../../support/synth';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'dcgm-metrics.prom');

/** `# TYPE name type` lines of an exposition. */
function declaredTypes(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

function gpuFleet() {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'gpu');
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  const collector = new Collector(stack, 'collector', { hostName: 'gpu-1', addresses: ['gpu-1.example'] });
  const dcgm = new DcgmExporter(stack, 'dcgm', { collector });
  const ui = new TerraformStack(app, 'ui');
  new DockerProvider(ui, 'docker', { host: 'unix:///var/run/docker.sock' });
  new RandomProvider(ui, 'random');
  new TlsProvider(ui, 'tls');
  const iface = new Interface(ui, 'interface', { collectors: [collector] });
  return { stack, collector, dcgm, iface, synth: () => JSON.parse(Testing.synth(stack, true)) };
}

describe('DCGM exporter add-on', () => {
  it('catalogs exactly the default counters of the exporter, with their declared types', () => {
    const declared = declaredTypes(readFileSync(FIXTURE, 'utf8'));
    expect(new Map(DCGM_METRICS.map((m) => [m.name, m.type]))).toEqual(declared);
    expect(declared.get('DCGM_FI_DEV_POWER_USAGE')).toBe('gauge');
    expect(declared.get('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')).toBe('counter');
  });

  it('runs with every GPU and only SYS_ADMIN, on the private network, unpublished, scraped by Prometheus', () => {
    const { synth } = gpuFleet();
    const out = synth();
    const container = containerNamed(out, 'peekstack-dcgm-exporter');
    expect(container).toMatchObject({ gpus: 'all', capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] }, security_opts: ['no-new-privileges:true'] });
    expect(container.ports).toBeUndefined();
    expect(container.privileged).toBeUndefined();
    expect(container.networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\./) }]);
    const config = parse(uploadedFile(containerNamed(out, 'peekstack-prometheus'), '/etc/prometheus/prometheus.yml'));
    expect(config.scrape_configs.find((job: { job_name: string }) => job.job_name === 'dcgm')).toMatchObject({
      static_configs: [{ targets: ['peekstack-dcgm-exporter:9400'] }],
      relabel_configs: [{ target_label: 'host', replacement: 'gpu-1' }],
    });
  });

  it('provisions the GPU power dashboard, which passes the catalog check', () => {
    const { iface } = gpuFleet();
    expect(iface.grafana.dashboards.map((d) => d.uid)).toContain('peekstack-gpu-power');
    expect(iface.catalogProblems()).toEqual([]);
  });

  describe('dashboard queries on synthetic GPU series (real promtool)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-dcgm-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('read the simulated power and energy: 250 W + 180 W, 129 kJ over 5 minutes', () => {
      const labels = (gpu: string) => `{host="gpu-1",gpu="${gpu}",modelName="NVIDIA A100-PCIE-40GB"}`;
      // Every 15 s: power constant, energy counter (mJ) growing by power x 15 s x 1000.
      const inputSeries = [
        { series: `DCGM_FI_DEV_POWER_USAGE${labels('0')}`, values: '250+0x40' },
        { series: `DCGM_FI_DEV_POWER_USAGE${labels('1')}`, values: '180+0x40' },
        { series: `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION${labels('0')}`, values: '901800000+3750000x40' },
        { series: `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION${labels('1')}`, values: '648900000+2700000x40' },
      ];
      const queries = dashboardQueries([gpuPowerDashboard()]);
      const expr = (title: string) => substituteVariables(queries.find((q) => q.panelTitle === title)!.expr, { host: 'gpu-1', __range: '5m', __rate_interval: '1m' });
      // Within 1e-6 of the expected value: the comparison returns 1 with no labels.
      const near = (query: string, expected: number) => ({ expr: `abs((${query}) - ${expected}) < bool 1e-6`, eval_time: '5m', exp_samples: [{ labels: '{}', value: 1 }] });
      const tests = [
        near(expr('GPU power now'), 430),
        near(expr('GPU energy over the range'), (430 * 300 * 1000) / 3.6e9),
        { expr: `count(${expr('Power per GPU')})`, eval_time: '5m', exp_samples: [{ labels: '{}', value: 2 }] },
        near(`sum(${expr('GPU power from the energy counter')})`, 430),
      ];
      const file = path.join(dir, 'gpu.test.yml');
      writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '15s', tests: [{ interval: '15s', input_series: inputSeries, promql_expr_test: tests }] }));
      let output: string;
      try {
        output = execFileSync(toolPath('promtool'), ['test', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        throw new Error(`promtool test rules failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
      }
      expect(output).toContain('SUCCESS');
    });
  });
});
