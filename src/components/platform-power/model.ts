/**
 * The `model` power source's settings: the idle and full-load watts of a host nothing measures,
 * written in the fleet file or looked up in the shipped CPU table. One set of checks, used by the
 * fleet file's schema (so `validate` and `synth` refuse the same files) and by the construct.
 * Pure: no cdktf.
 */
import { PeekStackValidationError } from '../../core/errors';
import { CPU_POWER_CURVES, CPU_POWER_TABLE_SOURCE, type CpuPowerCurve, curveWatts, lookupCpuPowerCurve } from './cpu-power-table';

/** The model as a fleet file (or a construct's props) writes it. */
export interface PowerModelInput {
  /**
   * Watts the host draws with its CPUs idle. Written with `maxWatts`.
   * @default - the table's curve of `cpuModel` at 0 % load, times `sockets`
   */
  readonly idleWatts?: number;
  /**
   * Watts the host draws with its CPUs fully busy; more than `idleWatts`.
   * @default - the table's curve of `cpuModel` at 100 % load, times `sockets`
   */
  readonly maxWatts?: number;
  /**
   * The CPU model, looked up in the shipped table (cpu-power-table.ts) by its model range, e.g.
   * `Intel Xeon Gold 6230`. Only needed without `idleWatts` and `maxWatts`.
   * @default - none: the watts are given
   */
  readonly cpuModel?: string;
  /**
   * CPUs (sockets) of the host: the table's watts are per CPU.
   * @default 1
   */
  readonly sockets?: number;
}

/**
 * The model after checks: what the rules estimate power with. Power at CPU utilisation u (0-1) is
 * `idleWatts + (maxWatts − idleWatts) × f(u)`, f being the table's published curve for a CPU model
 * of the table (its shape between 0 % and 100 %: {@link modelWatts}), and linear (f(u) = u) for
 * watts given in the fleet file, which give no shape.
 */
export interface PowerModel {
  readonly idleWatts: number;
  readonly maxWatts: number;
  /** Where the watts come from, in words (for the docs and a panel's description). */
  readonly basis: string;
  /**
   * The table's curve and the host's CPU count, when the watts come from the table.
   * @default - linear between idleWatts and maxWatts
   */
  readonly curve?: { readonly row: CpuPowerCurve; readonly sockets: number };
}

/** The model's power at CPU utilisation `utilisation` (0-1), in watts: what its rules compute. */
export function modelWatts(model: PowerModel, utilisation: number): number {
  const u = Math.min(1, Math.max(0, utilisation));
  return model.curve ? model.curve.sockets * curveWatts(model.curve.row, 100 * u) : model.idleWatts + (model.maxWatts - model.idleWatts) * u;
}

/** The most sockets a host is expected to have. */
const MAX_SOCKETS = 16;

/** What each key allows, in words, for error messages. */
export const POWER_MODEL_LIMITS = {
  watts: 'a number of watts, at least 0',
  maxWatts: 'more watts than idleWatts (power = idle + (max - idle) x CPU utilisation)',
  pair: 'idleWatts and maxWatts written together',
  cpuModel: `a CPU model of the shipped table (${CPU_POWER_CURVES.map((row) => row.cpuModel).join(', ')}), or explicit idleWatts and maxWatts`,
  sockets: `a whole number of CPUs, 1 to ${MAX_SOCKETS}, with cpuModel (explicit watts are the whole host's)`,
  empty: 'idleWatts and maxWatts, or a cpuModel of the shipped table',
} as const;

/** One problem of a model, at one of its keys. */
export interface PowerModelProblem {
  readonly key: keyof PowerModelInput | '';
  readonly found: string;
  readonly allowed: string;
}

const isWatts = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Every problem of `input` (empty: the model is sound). */
export function powerModelProblems(input: PowerModelInput): PowerModelProblem[] {
  const problems: PowerModelProblem[] = [];
  const { idleWatts, maxWatts, cpuModel, sockets } = input;
  for (const key of ['idleWatts', 'maxWatts'] as const) {
    if (input[key] !== undefined && !isWatts(input[key])) problems.push({ key, found: String(input[key]), allowed: POWER_MODEL_LIMITS.watts });
  }
  if ((idleWatts === undefined) !== (maxWatts === undefined)) {
    problems.push({ key: idleWatts === undefined ? 'idleWatts' : 'maxWatts', found: 'missing', allowed: POWER_MODEL_LIMITS.pair });
  } else if (isWatts(idleWatts) && isWatts(maxWatts) && maxWatts <= idleWatts) {
    problems.push({ key: 'maxWatts', found: `${maxWatts} (idleWatts ${idleWatts})`, allowed: POWER_MODEL_LIMITS.maxWatts });
  }
  const explicit = idleWatts !== undefined || maxWatts !== undefined;
  if (!explicit && cpuModel === undefined) problems.push({ key: '', found: 'neither watts nor a CPU model', allowed: POWER_MODEL_LIMITS.empty });
  if (!explicit && cpuModel !== undefined && lookupCpuPowerCurve(cpuModel) === undefined) {
    problems.push({ key: 'cpuModel', found: JSON.stringify(cpuModel), allowed: POWER_MODEL_LIMITS.cpuModel });
  }
  if (sockets !== undefined && (explicit || !Number.isInteger(sockets) || sockets < 1 || sockets > MAX_SOCKETS)) {
    problems.push({ key: 'sockets', found: String(sockets), allowed: POWER_MODEL_LIMITS.sockets });
  }
  return problems;
}

/**
 * The model of `input`, checked.
 * @throws PeekStackValidationError naming `field`.key, the value and what is allowed
 */
export function resolvePowerModel(field: string, input: PowerModelInput): PowerModel {
  const [problem] = powerModelProblems(input);
  if (problem) throw new PeekStackValidationError(problem.key === '' ? field : `${field}.${problem.key}`, problem.found, problem.allowed);
  if (input.idleWatts !== undefined && input.maxWatts !== undefined) {
    return { idleWatts: input.idleWatts, maxWatts: input.maxWatts, basis: 'idle and full-load watts given in the fleet file' };
  }
  const curve = lookupCpuPowerCurve(input.cpuModel!)!;
  const sockets = input.sockets ?? 1;
  return {
    idleWatts: sockets * curveWatts(curve, 0),
    maxWatts: sockets * curveWatts(curve, 100),
    basis: `${sockets} x ${curve.cpuModel}, the published curve of CPU power against load (${CPU_POWER_TABLE_SOURCE}; CPU packages only)`,
    curve: { row: curve, sockets },
  };
}

/**
 * A model needs node_exporter: it reads node_exporter's CPU time.
 * @throws PeekStackValidationError naming `field` when a model is set on a host without node_exporter
 */
export function assertModelHasCpuTime(field: string, model: PowerModelInput | undefined, nodeExporterEnabled: boolean): void {
  if (model !== undefined && !nodeExporterEnabled) {
    throw new PeekStackValidationError(field, 'a power model on a host without node_exporter', 'node_exporter enabled (exporters.nodeExporter): the model reads its CPU time');
  }
}
