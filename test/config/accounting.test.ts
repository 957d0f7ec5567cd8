/**
 * Accounting factors in the fleet file (`accounting`, in `defaults` and per host): defaults with
 * their sources, key-by-key overrides, bad input located at file:line:col; and what the Collector
 * makes of them (the energy rule group, through its component).
 */
import { describe, expect, it } from 'vitest';
import { formatProblem, parseFleet } from '../../src/config';
import { Collector } from '../../src/collector/collector';
import { ACCOUNTING_FACTOR_SOURCES, DEFAULT_ACCOUNTING_FACTORS, isCurrencyCode } from '../../src/components/energy/factors';
import { ENERGY_RECORDS, ENERGY_RULE_GROUP } from '../../src/components/energy/definition';
import { PeekStackValidationError } from '../../src/core/errors';
import { synthConstructs } from '../support/synth';
import { onlyProblem, VALID_FLEET } from './helpers';

const withDefaults = (accounting: string) => `defaults:\n  accounting: ${accounting}\n${VALID_FLEET}`;

describe('accounting factors in the fleet file', () => {
  it('defaults to PeekStack\'s placeholders, each with its source', () => {
    const fleet = parseFleet(VALID_FLEET, 'fleet.yaml');
    expect(DEFAULT_ACCOUNTING_FACTORS).toEqual({ carbonIntensityGramsPerKwh: 445, pricePerKwh: 0.2872, currency: 'EUR', pue: 1 });
    for (const host of fleet.hosts) expect(host.accounting).toEqual(DEFAULT_ACCOUNTING_FACTORS);
    expect(fleet.accounting).toEqual(DEFAULT_ACCOUNTING_FACTORS);
    expect(ACCOUNTING_FACTOR_SOURCES.carbonIntensityGramsPerKwh).toMatch(/IEA 2024/);
    expect(ACCOUNTING_FACTOR_SOURCES.pricePerKwh).toMatch(/Eurostat/);
  });

  it('merges defaults key by key under each host\'s own (hosts in other regions)', () => {
    const fleet = parseFleet(
      withDefaults('{ carbonIntensityGramsPerKwh: 300, pricePerKwh: 0.2, currency: EUR, pue: 1.2 }').replace(
        '    ports:\n      nodeExporter: 9101\n',
        '    ports:\n      nodeExporter: 9101\n    accounting: { carbonIntensityGramsPerKwh: 38, pricePerKwh: 0.16, currency: USD }\n',
      ),
      'fleet.yaml',
    );
    const [web, db] = fleet.hosts;
    expect(web!.accounting).toEqual({ carbonIntensityGramsPerKwh: 300, pricePerKwh: 0.2, currency: 'EUR', pue: 1.2 });
    expect(db!.accounting).toEqual({ carbonIntensityGramsPerKwh: 38, pricePerKwh: 0.16, currency: 'USD', pue: 1.2 });
    expect(fleet.accounting).toEqual({ carbonIntensityGramsPerKwh: 300, pricePerKwh: 0.2, currency: 'EUR', pue: 1.2 });
  });

  it('refuses a negative intensity or price, a PUE under 1, an unknown currency, a price without its currency: file:line:col', () => {
    const cases: [string, RegExp][] = [
      ['{ carbonIntensityGramsPerKwh: -5 }', /^fleet\.yaml:2:45: defaults\.accounting\.carbonIntensityGramsPerKwh: found -5; allowed: a number of gCO2e\/kWh, at least 0$/],
      ['{ pricePerKwh: -0.1, currency: EUR }', /^fleet\.yaml:2:30: defaults\.accounting\.pricePerKwh: found -0\.1; allowed: a price per kWh, at least 0$/],
      ['{ pue: 0.9 }', /^fleet\.yaml:2:22: defaults\.accounting\.pue: found 0\.9; allowed: a power usage effectiveness, at least 1/],
      ['{ pricePerKwh: 0.3, currency: EUX }', /^fleet\.yaml:2:45: defaults\.accounting\.currency: found "EUX"; allowed: an ISO 4217 currency code/],
      ['{ pricePerKwh: 0.3 }', /^fleet\.yaml:2:15: defaults\.accounting\.currency: found nothing; allowed: pricePerKwh and currency set together/],
      ['{ co2: 1 }', /^fleet\.yaml:2:17: defaults\.accounting\.co2: found unknown key "co2"; allowed: one of the keys carbonIntensityGramsPerKwh, pricePerKwh, currency, pue$/],
    ];
    for (const [accounting, message] of cases) expect(formatProblem(onlyProblem(withDefaults(accounting))), accounting).toMatch(message);
  });

  it('knows currencies from ICU\'s ISO 4217 list', () => {
    expect(['EUR', 'USD', 'GBP', 'JPY', 'CHF'].every(isCurrencyCode)).toBe(true);
    expect(['EUX', 'eur', 'EURO', ''].some(isCurrencyCode)).toBe(false);
  });
});

describe('the Collector turns its factors into the energy rule group', () => {
  it('records kWh per evaluation interval, and gCO2e and cost as kWh × PUE × factor', () => {
    let groups: readonly { name: string; interval?: string; rules: readonly { record?: string; expr: string; labels?: Record<string, string> }[] }[] = [];
    synthConstructs((scope) => {
      const collector = new Collector(scope, 'collector', {
        hostName: 'lab-1',
        addresses: ['192.0.2.1'],
        prometheus: { scrapeIntervalSeconds: 15 },
        scaphandre: { scrapeIntervalSeconds: 5 },
        accounting: { carbonIntensityGramsPerKwh: 400, pricePerKwh: 0.25, currency: 'CHF', pue: 1.5 },
      });
      groups = collector.prometheus.ruleGroups.get('energy.rules.yml') ?? [];
    });
    expect(groups.map((g) => [g.name, g.interval])).toEqual([[ENERGY_RULE_GROUP, '15s']]);
    const rule = (record: string) => groups[0]!.rules.find((r) => r.record === record)!;
    // 15 s of W → kWh: 15 / 3.6e6; the mean of the evaluation interval, else the latest of three Scaphandre scrapes (5 s).
    expect(rule(ENERGY_RECORDS.hostKwh).expr).toBe(
      'sum by (host) (avg_over_time(scaph_host_power_microwatts[15s]) or last_over_time(scaph_host_power_microwatts[30s])) / 1e6 * 0.00000416666666667',
    );
    expect(rule(ENERGY_RECORDS.hostCo2).expr).toBe(`${ENERGY_RECORDS.hostKwh} * 600`);
    expect(rule(ENERGY_RECORDS.hostCost)).toEqual({ record: ENERGY_RECORDS.hostCost, expr: `${ENERGY_RECORDS.hostKwh} * 0.375`, labels: { currency: 'CHF' } });
    expect(rule(ENERGY_RECORDS.raplPackageKwh).expr).toContain('unless resets(node_rapl_package_joules_total[105s]) > 0) * 0.00000416666666667 or (avg_over_time(zone:rapl_package_energy_kwh:per_evaluation[105s])');
    expect(rule(ENERGY_RECORDS.raplPackageKwh).expr).toContain('rate(node_rapl_package_joules_total[75s] offset 105s)');
  });

  it('has no rule for a source the collector lacks, and refuses a PUE under 1', () => {
    synthConstructs((scope) => {
      const collector = new Collector(scope, 'collector', { hostName: 'lab-2', addresses: ['192.0.2.2'], scaphandre: { enabled: false } });
      const records = (collector.prometheus.ruleGroups.get('energy.rules.yml') ?? []).flatMap((g) => g.rules.map((r) => (r as { record: string }).record));
      expect(records).toEqual([ENERGY_RECORDS.raplPackageKwh]);
    });
    expect(() =>
      synthConstructs((scope) => new Collector(scope, 'collector', { hostName: 'lab-3', addresses: ['192.0.2.3'], accounting: { ...DEFAULT_ACCOUNTING_FACTORS, pue: 0.5 } })),
    ).toThrow(PeekStackValidationError);
  });
});
