/**
 * Hourly carbon and SCI, in the fast layer: the arithmetic on a known power curve (exact), the CSV
 * source's refusals (file:line), and the Electricity Maps client against a stub API on loopback
 * (request shape, the cache per zone and hour, 401 and 429 without echoing the token). The same
 * code through the compiled CLI and the real pipeline: test/real/energy-carbon.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTING_FACTORS } from '../../src/components/energy/factors';
import { embodiedGrams, SECONDS_PER_YEAR } from '../../src/components/energy/embodied';
import { carbonReport } from '../../src/energy/carbon';
import { ElectricityMapsIntensities, parseCarbonApiUrl, retryAfterSeconds } from '../../src/energy/carbon-api';
import { parseCarbonCsv } from '../../src/energy/carbon-csv';
import { hoursOf } from '../../src/energy/carbon-intensity';
import { EnergyQueryError } from '../../src/energy/client';
import type { PowerSample } from '../../src/energy/integrate';
import { UsageError } from '../../src/config/report';
import { parseFunctionalUnit } from '../../src/cli/energy-command';

const H10 = Date.parse('2026-11-28T10:00:00Z') / 1000;
const H11 = H10 + 3600;
const H12 = H11 + 3600;

/** A sample every 10 s: 40 W in hour 10, 100 W in hour 11 (with 1190 s unread), 70 W in hour 12. */
function samples(): PowerSample[] {
  const out: PowerSample[] = [];
  for (let t = H10 + 600; t <= H12 + 1800; t += 10) {
    // Each sample stands for the 10 s before it: its power is that of the hour holding t - 10.
    const watts = t - 10 < H11 ? 40 : t - 10 < H12 ? 100 : 70;
    if (t > H11 + 1200 && t < H11 + 2400) continue; // the exporter was down 20 minutes
    out.push({ t, watts });
  }
  return out;
}

describe('hourly carbon and SCI on a known power curve', () => {
  it('cuts the window at each UTC hour, weights intensity by energy, adds M pro rata and divides by R', async () => {
    const window = { from: H10 + 1800, to: H12 + 900 }; // 10:30 .. 12:15
    const factors = { ...DEFAULT_ACCOUNTING_FACTORS, pue: 1.5 };
    const source = parseCarbonCsv('hours.csv', `hour,zone,gCO2e_per_kWh\n2026-11-28T10:00:00Z,DE,300\n2026-11-28T11:00:00Z,DE,120\n`);
    const carbon = await carbonReport({
      window,
      source,
      resourceShare: 0.5,
      functionalUnit: { count: 1200, name: 'requests' },
      hosts: [{ host: 'lab-1', samples: samples(), factors, zone: 'DE', embodied: { kgCO2e: 1000, lifetimeYears: 4 } }],
    });
    const host = carbon.hosts[0]!;
    // Independently: joules per hour from the curve, kWh × PUE × the hour's intensity.
    const joules = [1800 * 40, (3600 - 1190) * 100, 900 * 70]; // 72 000, 241 000, 63 000 J
    const intensity = [300, 120, 445]; // 12:00 is not in the CSV: the static factor
    const grams = joules.map((j, i) => (j / 3.6e6) * 1.5 * intensity[i]!); // 9, 12.05, 11.68125 g
    expect(host.hours.map((h) => h.hour)).toEqual([H10, H11, H12]);
    host.hours.forEach((h, i) => {
      expect(h.joules).toBeCloseTo(joules[i]!, 6);
      expect(h.intensityGramsPerKwh).toBe(intensity[i]);
      expect(h.gramsCo2e).toBeCloseTo(grams[i]!, 9);
    });
    expect(host.hours.map((h) => h.intensitySource)).toEqual(['csv', 'csv', 'static']);
    expect(host.hours[1]!.coveredSeconds).toBeCloseTo(3600 - 1190, 6);
    expect(host.fallbackReason).toBe('CSV file hours.csv has no intensity for 1 of 3 hours of zone DE: the static factor 445 gCO2e/kWh (fleet file accounting) for it');
    const operational = grams.reduce((a, b) => a + b, 0); // 32.73125 g
    expect(operational).toBeCloseTo(32.73125, 12);
    expect(carbon.operationalGrams).toBeCloseTo(operational, 9);
    const facilityKwh = (joules.reduce((a, b) => a + b, 0) / 3.6e6) * 1.5; // 376 000 J = 0.10444 kWh x 1.5 = 0.15667 kWh
    expect(carbon.facilityKwh).toBeCloseTo(facilityKwh, 12);
    expect(carbon.intensityGramsPerKwh).toBeCloseTo(operational / facilityKwh, 9); // 208.93 g/kWh, not the time-weighted mean
    const embodied = 1000 * 1000 * (6300 / (4 * 365.25 * 86400)) * 0.5; // 24.9544... g
    expect(carbon.embodiedGrams).toBeCloseTo(embodied, 9);
    expect(carbon.sciGramsPerUnit).toBeCloseTo((operational + embodied) / 1200, 12);
  });

  it('without a source, every hour takes the static factor and the report says why', async () => {
    const window = { from: H10 + 1800, to: H11 + 600 };
    const carbon = await carbonReport({ window, hosts: [{ host: 'lab-1', samples: samples(), factors: DEFAULT_ACCOUNTING_FACTORS }] });
    expect(carbon.hosts[0]!.hours.map((h) => h.intensitySource)).toEqual(['static', 'static']);
    expect(carbon.intensityGramsPerKwh).toBeCloseTo(445, 9);
    expect(carbon.embodiedGrams).toBe(0);
    expect(carbon.sciGramsPerUnit).toBeUndefined();
    expect(carbon.hosts[0]!.fallbackReason).toMatch(/^no --carbon-api or --carbon-csv: the static factor 445 gCO2e\/kWh/);
  });

  it('hours of a window: from the hour holding its start to the one holding its end', () => {
    expect(hoursOf(H10 + 1, H10 + 2)).toEqual([H10]);
    expect(hoursOf(H10, H11)).toEqual([H10]);
    expect(hoursOf(H10 + 3599, H11 + 1)).toEqual([H10, H11]);
  });

  it('embodied grams: kg × 1000 × window / lifetime × share', () => {
    expect(embodiedGrams({ kgCO2e: 1200, lifetimeYears: 4 }, SECONDS_PER_YEAR, 1)).toBeCloseTo(300_000, 6);
    expect(embodiedGrams({ kgCO2e: 1200, lifetimeYears: 4 }, 3600, 0.25)).toBeCloseTo((1_200_000 * 3600) / (4 * SECONDS_PER_YEAR) / 4, 9);
  });

  it('--functional-unit N NAME', () => {
    expect(parseFunctionalUnit('1200 requests')).toEqual({ count: 1200, name: 'requests' });
    expect(parseFunctionalUnit('2.5 GB transferred')).toEqual({ count: 2.5, name: 'GB transferred' });
    for (const bad of ['0 requests', 'requests', '-3 users', '12']) expect(() => parseFunctionalUnit(bad), bad).toThrow(UsageError);
  });
});

describe('the CSV source refuses what would bias the figure, naming file and line', () => {
  const refuse = (text: string, message: RegExp) => {
    expect(() => parseCarbonCsv('grid.csv', text)).toThrow(UsageError);
    expect(() => parseCarbonCsv('grid.csv', text)).toThrow(message);
  };
  it('reads rows with and without zone, a header and comments', async () => {
    const source = parseCarbonCsv('grid.csv', '# hourly\nhour,gco2\n2026-11-28T10:00:00Z,300\n2026-11-28T11:00:00+00:00,120.5\n');
    expect([...(await source.intensities('FR', [H10, H11, H12])).entries()]).toEqual([[H10, 300], [H11, 120.5]]);
  });
  it('a gap: exit 2 at the line after it', () => {
    refuse('hour,zone,g\n2026-11-28T10:00:00Z,DE,300\n2026-11-28T11:00:00Z,DE,200\n2026-11-28T14:00:00Z,DE,100\n', /^grid\.csv:4: gap before hour 2026-11-28T14:00:00\.000Z of zone DE: 2 hours missing after line 3 \(2026-11-28T11:00:00\.000Z\)/);
  });
  it('an overlap (the same hour twice, or going back): exit 2 at the second row', () => {
    refuse('2026-11-28T10:00:00Z,300\n2026-11-28T10:00:00Z,310\n', /^grid\.csv:2: hour 2026-11-28T10:00:00\.000Z overlaps the hour of line 1/);
    refuse('2026-11-28T10:00:00Z,300\n2026-11-28T11:00:00Z,310\n2026-11-28T09:00:00Z,290\n', /^grid\.csv:3: hour 2026-11-28T09:00:00\.000Z overlaps the hour of line 2/);
  });
  it('zones are checked apart: DE and FR interleaved is fine, a DE gap is not', async () => {
    const ok = parseCarbonCsv('grid.csv', '2026-11-28T10:00:00Z,DE,300\n2026-11-28T10:00:00Z,FR,50\n2026-11-28T11:00:00Z,DE,200\n2026-11-28T11:00:00Z,FR,40\n');
    expect([...(await ok.intensities('FR', [H10, H11])).values()]).toEqual([50, 40]);
    refuse('2026-11-28T10:00:00Z,DE,300\n2026-11-28T10:00:00Z,FR,50\n2026-11-28T12:00:00Z,DE,200\n', /^grid\.csv:3: gap before hour .* of zone DE: 1 hour missing after line 1/);
  });
  it('an hour not on the hour, a local time, a negative or missing intensity, a wrong field count, no rows', () => {
    refuse('2026-11-28T10:30:00Z,300\n', /^grid\.csv:1: "2026-11-28T10:30:00Z": not the start of a UTC hour/);
    refuse('2026-11-28T10:00:00+01:00,300\n', /^grid\.csv:1: .*expected the start of an hour in ISO 8601 UTC/);
    refuse('2026-11-28T10:00:00Z,-5\n', /^grid\.csv:1: "-5": expected an intensity in gCO2e\/kWh, a number at least 0/);
    refuse('2026-11-28T10:00:00Z,DE,300\n2026-11-28T11:00:00Z,200\n', /^grid\.csv:2: expected 3 fields/);
    refuse('hour,g\n', /^grid\.csv:2: no intensity rows/);
  });
});

describe('the Electricity Maps client against a stub on loopback', () => {
  const TOKEN = 'em-token-do-not-echo-1f2e3d';
  let server: http.Server;
  let base: string;
  const seen: { path: string; token: string | undefined }[] = [];
  let reply: (res: http.ServerResponse, url: URL) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      seen.push({ path: url.pathname + url.search, token: req.headers['auth-token'] as string | undefined });
      reply(res, url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks past-range with zone, start, end and the auth-token header; one request per zone and hours', async () => {
    seen.length = 0;
    reply = (res, url) => {
      const start = Date.parse(url.searchParams.get('start')!) / 1000;
      const data = [0, 1, 2].map((i) => ({ zone: 'DE', datetime: new Date((start + i * 3600) * 1000).toISOString(), carbonIntensity: 100 + i, isEstimated: false }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ zone: url.searchParams.get('zone'), data }));
    };
    const source = new ElectricityMapsIntensities({ url: base, token: TOKEN });
    const first = await source.intensities('DE', [H10, H11]);
    expect([...first.entries()]).toEqual([[H10, 100], [H11, 101]]);
    expect(seen).toEqual([{ path: `/v3/carbon-intensity/past-range?zone=DE&start=2026-11-28T10%3A00%3A00.000Z&end=2026-11-28T12%3A00%3A00.000Z`, token: TOKEN }]);
    // The same hours again (a second host of zone DE): from the cache.
    expect([...(await source.intensities('DE', [H10, H11])).values()]).toEqual([100, 101]);
    expect(source.requests).toBe(1);
    // No zone: nothing asked, every hour falls back.
    expect((await source.intensities(undefined, [H10])).size).toBe(0);
    expect(source.requests).toBe(1);
  });

  it('401: check the token; 429: wait for Retry-After; the token never in the message', async () => {
    reply = (res) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `invalid token ${TOKEN}` }));
    const refused = await new ElectricityMapsIntensities({ url: base, token: TOKEN }).intensities('DE', [H10]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EnergyQueryError);
    expect((refused as EnergyQueryError).kind).toBe('unauthorized');
    expect((refused as Error).message).toMatch(/refused the token \(HTTP 401\)\. Check the token in --carbon-token-file \(or \$PEEKSTACK_CARBON_TOKEN\)/);
    expect((refused as Error).message).not.toContain(TOKEN);
    reply = (res) => res.writeHead(429, { 'retry-after': '37' }).end(`slow down ${TOKEN}`);
    const limited = await new ElectricityMapsIntensities({ url: base, token: TOKEN }).intensities('DE', [H10]).catch((e: unknown) => e);
    expect((limited as EnergyQueryError).kind).toBe('rate-limited');
    expect((limited as Error).message).toMatch(/rate-limiting this token \(HTTP 429\)\. Wait 37 s \(its Retry-After\) and run the same command again/);
    expect((limited as Error).message).not.toContain(TOKEN);
    reply = (res) => res.writeHead(500).end(`boom ${TOKEN}`);
    const broken = await new ElectricityMapsIntensities({ url: base, token: TOKEN }).intensities('DE', [H10]).catch((e: unknown) => e);
    expect((broken as Error).message).toMatch(/answered HTTP 500: boom <token>/);
  });

  it('Retry-After as seconds or an HTTP date; the URL: https, or http to loopback only, no credentials', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(new Date(Date.parse('2026-11-28T10:01:00Z')).toUTCString(), Date.parse('2026-11-28T10:00:00Z'))).toBe(60);
    expect(retryAfterSeconds(undefined)).toBeUndefined();
    expect(parseCarbonApiUrl('https://api.electricitymaps.com').host).toBe('api.electricitymaps.com');
    expect(parseCarbonApiUrl('http://127.0.0.1:8080').port).toBe('8080');
    expect(() => parseCarbonApiUrl('http://api.example.com')).toThrow(/http:\/\/ only to this machine/);
    expect(() => parseCarbonApiUrl('https://user:secret@api.example.com')).toThrow(/without credentials/);
    expect(() => parseCarbonApiUrl('https://api.example.com/?auth-token=x')).toThrow(/without credentials or query/);
  });
});
