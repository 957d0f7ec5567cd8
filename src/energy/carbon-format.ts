/**
 * The carbon section of an energy report: the hourly breakdown, E, I, M, R and SCI, as text for
 * people and as a JSON object for scripts (units in the keys, numbers unrounded).
 */
import type { CarbonReport } from './carbon';
import { isoHour } from './carbon-intensity';
import { significant, textTable } from './report';

const SOURCE_WORDS = { api: 'API', csv: 'CSV', static: 'static (fallback)' } as const;

/** The carbon section as text, after the energy table. */
export function formatCarbonText(carbon: CarbonReport): string {
  const lines: string[] = [
    '',
    `Carbon hour by hour (intensity: ${carbon.source ?? 'the fleet file\'s static factors'}; gCO2e = kWh x PUE x the hour's intensity)`,
    'The gCO2e column above uses the static factor; the figures below, each hour\'s intensity.',
    '',
  ];
  const rows = carbon.hosts.flatMap((h) =>
    h.hours.map((hour) => [
      h.host,
      h.zone ?? '',
      isoHour(hour.hour),
      significant(hour.joules, 5),
      significant(hour.kwh, 4),
      significant(hour.intensityGramsPerKwh, 4),
      SOURCE_WORDS[hour.intensitySource],
      significant(hour.gramsCo2e, 4),
    ]),
  );
  lines.push(textTable(['HOST', 'ZONE', 'HOUR (UTC)', 'ENERGY (J)', 'kWh', 'gCO2e/kWh', 'SOURCE', 'gCO2e'], rows, [false, false, false, true, true, true, false, true]));
  for (const h of carbon.hosts) if (h.fallbackReason) lines.push(`${h.host}: ${h.fallbackReason}.`);
  const unknownEmbodied = carbon.hosts.filter((h) => h.embodied === undefined).map((h) => h.host);
  lines.push('');
  lines.push(carbon.functionalUnit ? 'SCI = (E x I + M) / R' : 'E x I + M (SCI needs --functional-unit N NAME for R)');
  const pue = carbon.facilityKwh !== carbon.kwh ? ` (${significant(carbon.kwh, 4)} kWh measured x PUE)` : '';
  lines.push(`  E      ${significant(carbon.facilityKwh, 4)} kWh${pue}`);
  lines.push(`  I      ${carbon.intensityGramsPerKwh === undefined ? 'n/a (no energy measured)' : `${significant(carbon.intensityGramsPerKwh, 4)} gCO2e/kWh (energy-weighted over the hours)`}`);
  lines.push(`  E x I  ${significant(carbon.operationalGrams, 4)} gCO2e`);
  const embodiedNote = unknownEmbodied.length > 0 ? `; unknown for ${unknownEmbodied.join(', ')} (no embodied in the fleet file): counted 0` : '';
  lines.push(`  M      ${significant(carbon.embodiedGrams, 4)} gCO2e embodied (${significant(carbon.windowSeconds, 6)} s of the machine's lifetime x resource share ${carbon.resourceShare}${embodiedNote})`);
  if (carbon.functionalUnit && carbon.sciGramsPerUnit !== undefined) {
    lines.push(`  R      ${carbon.functionalUnit.count} ${carbon.functionalUnit.name}`);
    lines.push(`  SCI    ${significant(carbon.sciGramsPerUnit, 4)} gCO2e per ${singular(carbon.functionalUnit.name)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `requests` → `request`, for "per request"; other names unchanged. */
function singular(name: string): string {
  return /[^s]s$/.test(name) ? name.slice(0, -1) : name;
}

/** The carbon section as JSON (the `carbon` key of `--format json`). */
export function carbonJson(carbon: CarbonReport): Record<string, unknown> {
  return {
    source: carbon.source ?? null,
    units: { energy: 'kWh (facility: x PUE)', intensity: 'gCO2e/kWh', emissions: 'gCO2e', sci: `gCO2e per ${carbon.functionalUnit?.name ?? 'functional unit'}` },
    hosts: carbon.hosts.map((h) => ({
      host: h.host,
      zone: h.zone ?? null,
      hours: h.hours.map((hour) => ({
        hour: isoHour(hour.hour),
        from: isoHour(hour.from),
        to: isoHour(hour.to),
        joules: hour.joules,
        coveredSeconds: hour.coveredSeconds,
        kwh: hour.kwh,
        facilityKwh: hour.facilityKwh,
        intensityGramsPerKwh: hour.intensityGramsPerKwh,
        intensitySource: hour.intensitySource,
        gramsCo2e: hour.gramsCo2e,
      })),
      kwh: h.kwh,
      facilityKwh: h.facilityKwh,
      intensityGramsPerKwh: h.intensityGramsPerKwh ?? null,
      operationalGramsCo2e: h.operationalGrams,
      embodied: h.embodied ?? null,
      embodiedGramsCo2e: h.embodiedGrams,
      staticIntensityGramsPerKwh: h.staticIntensityGramsPerKwh,
      fallback: h.fallbackReason ?? null,
    })),
    windowSeconds: carbon.windowSeconds,
    resourceShare: carbon.resourceShare,
    E: { kwh: carbon.kwh, facilityKwh: carbon.facilityKwh },
    I: { gramsPerKwh: carbon.intensityGramsPerKwh ?? null },
    operationalGramsCo2e: carbon.operationalGrams,
    M: { gramsCo2e: carbon.embodiedGrams },
    R: carbon.functionalUnit ?? null,
    SCI: carbon.sciGramsPerUnit === undefined ? null : { gramsCo2ePerUnit: carbon.sciGramsPerUnit, unit: carbon.functionalUnit!.name },
  };
}
