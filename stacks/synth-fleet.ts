import { App, Manifest, StackManifest } from 'cdktf';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FleetSpec } from '../src/config';
import { hubStackOf } from '../src/config/spec';
import { EXIT } from '../src/config/report';
import { PeekStackValidationError } from '../src/errors';
import { replaceAtomically, synthesizeStacks } from '../src/synthesize';
import { buildFleetPart } from './app';
import { selectStacks } from './options';
import { CliIo, reportFailure } from './report-failure';
import { collectGarbage, forgettingTokens } from './token-registry';

/**
 * The `synth` command's work, the only one that loads cdktf and the providers: the CLI requires
 * this module when it synthesizes, and not before.
 *
 * Every stack comes out byte for byte the same whichever stacks are synthesized with it
 * (stacks/app.ts buildFleetPart; test/synth-fleet.test.ts), so a large fleet is synthesized in
 * parts: the interface alone, the collectors in chunks of {@link CHUNK_STACKS} (memory holds one
 * chunk's constructs, not the fleet's), on two threads when the machine has two cores.
 */

/** Collector stacks built and resolved in one cdktf App ($PEEKSTACK_SYNTH_CHUNK to change it): bounds the memory. */
const CHUNK_STACKS = Number(process.env.PEEKSTACK_SYNTH_CHUNK) > 0 ? Math.floor(Number(process.env.PEEKSTACK_SYNTH_CHUNK)) : 100;

/** Below this many collector stacks, a second thread costs more (start, loading cdktf) than it saves. */
const PARALLEL_MIN_STACKS = 40;

/** A part of a synthesis: stack names, all written into one output directory. */
type Part = readonly string[];

/** The stacks that read or are read by every collector (hub, interface): each written in an App of its own. */
function sharedStacks(fleet: FleetSpec): string[] {
  const hub = hubStackOf(fleet);
  return [...(hub ? [hub] : []), fleet.interface.stackName];
}

/**
 * Synthesizes `part` into `outdir` and returns the manifest entries of its stacks: the hub and the
 * interface first, each alone in its App (each builds every collector, but resolves none it does not
 * need), then the collectors in chunks of {@link CHUNK_STACKS}.
 */
export function synthesizePart(fleet: FleetSpec, part: Part, outdir: string): Record<string, StackManifest> {
  const entries: Record<string, StackManifest> = {};
  const shared = sharedStacks(fleet);
  const collectors = part.filter((name) => !shared.includes(name));
  const chunks: Part[] = part.filter((name) => shared.includes(name)).map((name) => [name]);
  for (let i = 0; i < collectors.length; i += CHUNK_STACKS) chunks.push(collectors.slice(i, i + CHUNK_STACKS));
  for (const chunk of chunks) {
    forgettingTokens(() => {
      const app = new App({ outdir });
      const { synthesized, readers } = buildFleetPart(app, fleet, chunk);
      synthesizeStacks(app, synthesized, readers, { writeManifest: false });
      Object.assign(entries, app.manifest.stacks);
    });
    // A small fleet fits in one chunk's memory: collecting would cost time and save nothing.
    if (fleet.hosts.length > CHUNK_STACKS) collectGarbage();
  }
  return entries;
}

/** Splits collector stacks into the half this thread writes and the half a second thread does. */
function split(collectors: readonly string[]): [Part, Part] {
  const mine = Math.ceil(collectors.length / 2);
  return [collectors.slice(0, mine), collectors.slice(mine)];
}

/** Threads to synthesize on: $PEEKSTACK_SYNTH_THREADS (1 or 2), else 2 when the machine has two cores. */
function synthesisThreads(): number {
  const chosen = Number(process.env.PEEKSTACK_SYNTH_THREADS);
  return chosen === 1 || chosen === 2 ? chosen : Math.min(2, availableParallelism());
}

/** The compiled module a second thread runs (absent when running from TypeScript sources, as in the tests). */
function workerModule(): string | undefined {
  const file = join(__dirname, 'synth-fleet.js');
  return existsSync(file) ? file : undefined;
}

/** Code of the second thread: synthesizes its part, then posts the manifest entries, or the error. */
const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const { module, fleet, part, outdir, port, done } = workerData;
let message;
try {
  message = { entries: require(module).synthesizePart(fleet, part, outdir) };
} catch (error) {
  message = { error: { name: error && error.name, message: String(error && error.message || error), field: error && error.field, received: error && error.received, allowed: error && error.allowed } };
}
port.postMessage(message);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
`;

/** An error of the second thread, as the first thread's describeFailure knows it. */
function errorFrom(error: { name?: string; message: string; field?: string; received?: string; allowed?: string }): Error {
  if (error.name === 'PeekStackValidationError' && error.field !== undefined && error.allowed !== undefined) {
    return Object.assign(Object.create(PeekStackValidationError.prototype) as PeekStackValidationError, error);
  }
  return Object.assign(new Error(error.message), { name: error.name ?? 'Error' });
}

/**
 * Writes `selected` and the manifest into `outdir`: the hub and the interface first, on their own
 * (each holds every collector's constructs: nothing else runs beside them, to keep the peak of
 * memory that one), then the collectors, on two threads for a large fleet on a machine with two cores
 * or more (the second thread's part waited for synchronously, so the command stays a plain function).
 */
function writeStacks(fleet: FleetSpec, selected: readonly string[], outdir: string): void {
  const entries: Record<string, StackManifest> = {};
  const shared = sharedStacks(fleet);
  const collectors = selected.filter((name) => !shared.includes(name));
  Object.assign(entries, synthesizePart(fleet, selected.filter((name) => shared.includes(name)), outdir));
  const module = workerModule();
  const parallel = module !== undefined && collectors.length > PARALLEL_MIN_STACKS && synthesisThreads() > 1;
  const [mine, theirs] = parallel ? split(collectors) : [collectors, []];
  if (theirs.length > 0) {
    const { port1, port2 } = new MessageChannel();
    const done = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { module, fleet, part: theirs, outdir, port: port2, done }, transferList: [port2] });
    let failure: unknown;
    try {
      Object.assign(entries, synthesizePart(fleet, mine, outdir));
    } catch (error) {
      failure = error;
    }
    Atomics.wait(done, 0, 0);
    const reply = receiveMessageOnPort(port1)?.message as { entries?: Record<string, StackManifest>; error?: Parameters<typeof errorFrom>[0] } | undefined;
    void worker.terminate();
    port1.close();
    if (failure !== undefined) throw failure;
    if (!reply || reply.error) throw errorFrom(reply?.error ?? { message: 'the second synthesis thread stopped without an answer' });
    Object.assign(entries, reply.entries);
  } else {
    Object.assign(entries, synthesizePart(fleet, mine, outdir));
  }
  // One manifest for every part, in the shape App.synth() writes (stable key order, so part order does not matter).
  const manifest = new Manifest(new App({ outdir }).manifest.version, outdir, false);
  Object.assign(manifest.stacks, entries);
  manifest.writeToFile();
}

/**
 * Synthesizes the fleet (all stacks, or those named in `stacks`) into `outdir`. Only what the named
 * stacks need is built, and only they are resolved and written: one collector of a large fleet costs
 * about one collector. Outside cdktf-cli, the output is swapped in only after a successful synthesis,
 * so a failure leaves the previous output untouched.
 * @returns the names of the stacks written, in fleet order
 */
export function synthFleet(fleet: FleetSpec, options: { readonly outdir: string; readonly stacks?: readonly string[] }): string[] {
  const selected = selectStacks(fleet, options.stacks);
  // Under `cdktf synth`/`cdktf deploy` the CLI owns the output directory and tells us where it is.
  const cdktfOutdir = process.env.CDKTF_OUTDIR;
  if (cdktfOutdir) writeStacks(fleet, selected, cdktfOutdir);
  else replaceAtomically(options.outdir, (outdir) => writeStacks(fleet, selected, outdir));
  return selected;
}

/**
 * The `synth` command: synthesizes, says what was written, and reports a failure itself (exit code
 * 2 for invalid input, 1 for anything else). Never throws.
 */
export function synthCommand(fleet: FleetSpec, options: { readonly outdir: string; readonly stacks?: readonly string[] }, io: CliIo): number {
  try {
    const written = synthFleet(fleet, options);
    io.out(`${fleet.file}: synthesized ${written.join(', ')} into ${process.env.CDKTF_OUTDIR ?? options.outdir}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, fleet.file, io);
  }
}
