import { App, Manifest, StackManifest, TerraformStack } from 'cdktf';
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FleetSpec } from '../config';
import { hubStackOf } from '../config/spec';
import { EXIT } from '../config/report';
import { PeekStackValidationError } from '../core/errors';
import { replaceAtomically, synthesizeStacks } from './fast/synthesize';
import { buildFleetPart, buildHubPart, crossStackReadsOf, Fleet } from '../fleet/fleet';
import { fastPathUsable } from './fast/door';
import { selectStacks } from './options';
import { CliIo, reportFailure } from './report-failure';
import { collectGarbageAbove, forgettingTokens } from './fast/token-registry';

/**
 * The `synth` command's work, the only one that loads cdktf and the providers: the CLI requires
 * this module when it synthesizes, and not before.
 *
 * Every stack comes out byte for byte the same whichever stacks are synthesized with it
 * (stacks/app.ts buildFleetPart; test/cli/synth-fleet.test.ts), so a large fleet is synthesized in
 * chunks: the interface alone, the collectors {@link CHUNK_STACKS} at a time (memory holds a
 * chunk's constructs, not the fleet's), on two threads when the machine has two cores, and the hub
 * last, from what the other chunks read from it (stacks/app.ts buildHubPart).
 */

/** Collector stacks built and resolved in one cdktf App ($PEEKSTACK_SYNTH_CHUNK to change it): bounds the memory. */
const CHUNK_STACKS = Number(process.env.PEEKSTACK_SYNTH_CHUNK) > 0 ? Math.floor(Number(process.env.PEEKSTACK_SYNTH_CHUNK)) : 100;

/**
 * After a chunk, the heap is collected when it holds more than this many MB ($PEEKSTACK_GC_ABOVE_MB
 * to change it; 0 collects after every chunk): after the interface's chunk of a large fleet (a
 * stand-in stack per host), after every second or third collector chunk. Collecting after every
 * chunk cost 15 % of a 1000-host synthesis; never collecting let two threads' heaps reach 325 MB
 * together (300 MB is the target); this keeps the peak at about 280 MB for 1000 hosts, two threads
 * of collector chunks.
 */
const COLLECT_GARBAGE_ABOVE_MB = nonNegative(process.env.PEEKSTACK_GC_ABOVE_MB) ?? 64;

/** `text` as a number when it is one, 0 or more. */
function nonNegative(text: string | undefined): number | undefined {
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return value >= 0 ? value : undefined;
}

/** Below this many collector stacks, a second thread costs more (start, loading cdktf) than it saves. */
const PARALLEL_MIN_STACKS = 40;

/**
 * A chunk of a synthesis, built and resolved in one cdktf App: stacks to prepare, in fleet order,
 * and those of them to write (all into one output directory). A stack prepared but not written is
 * there for what it reads from the hub.
 */
interface Chunk {
  readonly stacks: readonly string[];
  readonly write: readonly string[];
}

/** What chunks produced: the manifest entries of the stacks they wrote, and what their stacks read from the hub. */
export interface ChunksResult {
  readonly entries: Record<string, StackManifest>;
  readonly hubReads: string[];
}

/**
 * Synthesizes one chunk (interface or collector stacks, never the hub) into `outdir`, in a cdktf App
 * of its own; `moreToCome` when this thread may take another chunk after it (if not, collecting the
 * heap would be time lost).
 */
function synthesizeChunk(fleet: FleetSpec, chunk: Chunk, outdir: string, moreToCome: boolean): ChunksResult {
  const toWrite = new Set(chunk.write);
  const hubName = hubStackOf(fleet);
  const result = forgettingTokens(() => {
    const app = new App({ outdir });
    const { synthesized, readers } = buildFleetPart(app, fleet, chunk.stacks);
    const written = synthesized.filter((stack) => toWrite.has(stack.node.id));
    const prepared = [...synthesized.filter((stack) => !toWrite.has(stack.node.id)), ...readers];
    synthesizeStacks(app, written, prepared, { writeManifest: false });
    const hub = hubName === undefined ? undefined : app.node.tryFindChild(hubName);
    return { entries: app.manifest.stacks, hubReads: hub instanceof TerraformStack ? crossStackReadsOf(hub) : [] };
  });
  if (moreToCome) collectGarbageAbove(COLLECT_GARBAGE_ABOVE_MB);
  return result;
}

/**
 * Synthesizes chunks into `outdir`, taking the next one from the queue `next` (an index into
 * `chunks`, shared with the other thread, so that both stay busy until the last chunk) until none is left.
 */
export function synthesizeChunks(fleet: FleetSpec, chunks: readonly Chunk[], next: Int32Array, outdir: string): ChunksResult {
  const entries: Record<string, StackManifest> = {};
  const hubReads: string[] = [];
  for (let index = Atomics.add(next, 0, 1); index < chunks.length; index = Atomics.add(next, 0, 1)) {
    const result = synthesizeChunk(fleet, chunks[index], outdir, Atomics.load(next, 0) < chunks.length);
    Object.assign(entries, result.entries);
    hubReads.push(...result.hubReads);
  }
  return { entries, hubReads };
}

/** Writes the hub stack into `outdir`, with the outputs its readers read (`reads`), and returns its manifest entry. */
function synthesizeHub(fleet: FleetSpec, reads: Iterable<string>, outdir: string): Record<string, StackManifest> {
  return forgettingTokens(() => {
    const app = new App({ outdir });
    const { synthesized } = buildHubPart(app, fleet, reads);
    synthesizeStacks(app, synthesized, [], { writeManifest: false });
    return app.manifest.stacks;
  });
}

/** Threads to synthesize on: $PEEKSTACK_SYNTH_THREADS (1 or 2), else 2 when the machine has two cores. */
function synthesisThreads(): number {
  const chosen = Number(process.env.PEEKSTACK_SYNTH_THREADS);
  return chosen === 1 || chosen === 2 ? chosen : Math.min(2, availableParallelism());
}

/** The compiled module a second thread runs, and its loader beside it (absent when running from TypeScript sources, as in the tests). */
function workerModule(): string | undefined {
  const file = join(__dirname, 'synth-fleet.js');
  return existsSync(file) && existsSync(join(__dirname, 'cached-load.js')) ? file : undefined;
}

/** Code of the second thread: synthesizes chunks from the shared queue, then posts what they produced, or the error. */
const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const { module, fleet, chunks, next, outdir, port, done } = workerData;
let message;
try {
  // The bundle from its code cache, as the programs load theirs (stacks/cached-load.ts).
  const { loadCached } = require(require('node:path').join(require('node:path').dirname(module), 'cached-load.js'));
  message = { result: loadCached(module).synthesizeChunks(fleet, chunks, next, outdir) };
} catch (error) {
  message = { error: { name: error && error.name, message: String(error && error.message || error), field: error && error.field, received: error && error.received, allowed: error && error.allowed, constructPath: error && error.constructPath } };
}
port.postMessage(message);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
`;

/** An error of the second thread, as the first thread's describeFailure knows it. */
function errorFrom(error: { name?: string; message: string; field?: string; received?: string; allowed?: string; constructPath?: string }): Error {
  if (error.name === 'PeekStackValidationError' && error.field !== undefined && error.allowed !== undefined) {
    return Object.assign(Object.create(PeekStackValidationError.prototype) as PeekStackValidationError, error);
  }
  return Object.assign(new Error(error.message), { name: error.name ?? 'Error' });
}

/**
 * Writes `selected` and the manifest into `outdir`: the interface, then the collectors in chunks,
 * then the hub. For a large fleet on a machine with two cores or more, a second thread takes
 * collector chunks from the same queue as this one (waited for synchronously, so the command stays
 * a plain function). When the hub is written, every stack that reads it is prepared, written or
 * not: what they read from it is what the hub's outputs are.
 */
function writeStacks(fleet: FleetSpec, selected: readonly string[], outdir: string): void {
  const entries: Record<string, StackManifest> = {};
  const hubReads = new Set<string>();
  const gather = (result: ChunksResult) => {
    Object.assign(entries, result.entries);
    for (const identifier of result.hubReads) hubReads.add(identifier);
  };
  const hubName = hubStackOf(fleet);
  // Sets, not arrays: a 10,000-host fleet names 10,002 stacks, and each chunk looks its own up.
  const chosen = new Set(selected);
  const withHub = hubName !== undefined && chosen.has(hubName);
  const visited = (name: string) => withHub || chosen.has(name);
  const interfaceName = fleet.interface.stackName;
  const write = selected.filter((name) => name !== hubName);
  const collectors = fleet.hosts.map((host) => host.stackName).filter(visited);
  const chunks: Chunk[] = [];
  for (let i = 0; i < collectors.length; i += CHUNK_STACKS) {
    const stacks = collectors.slice(i, i + CHUNK_STACKS);
    chunks.push({ stacks, write: stacks.filter((name) => chosen.has(name)) });
  }
  // The interface first, alone: it holds a stand-in stack per host. (Overlapped with the second
  // thread's collector chunks it was no faster on two cores, measured alternately.)
  if (visited(interfaceName)) gather(synthesizeChunk(fleet, { stacks: [interfaceName], write }, outdir, chunks.length > 0));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const module = workerModule();
  if (module !== undefined && collectors.length > PARALLEL_MIN_STACKS && synthesisThreads() > 1) {
    const { port1, port2 } = new MessageChannel();
    const done = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { module, fleet, chunks, next, outdir, port: port2, done }, transferList: [port2] });
    let failure: unknown;
    try {
      gather(synthesizeChunks(fleet, chunks, next, outdir));
    } catch (error) {
      failure = error;
      // Nothing more for the other thread to start: it finishes the chunk it is on.
      Atomics.store(next, 0, chunks.length);
    }
    Atomics.wait(done, 0, 0);
    const reply = receiveMessageOnPort(port1)?.message as { result?: ChunksResult; error?: Parameters<typeof errorFrom>[0] } | undefined;
    void worker.terminate();
    port1.close();
    if (failure !== undefined) throw failure;
    if (!reply?.result) throw errorFrom(reply?.error ?? { message: 'the second synthesis thread stopped without an answer' });
    gather(reply.result);
  } else {
    gather(synthesizeChunks(fleet, chunks, next, outdir));
  }
  if (withHub) Object.assign(entries, synthesizeHub(fleet, hubReads, outdir));
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
  const write = fastPathUsable() ? writeStacks : writeStacksPlainly;
  if (cdktfOutdir) write(fleet, selected, cdktfOutdir);
  else replaceAtomically(options.outdir, (outdir) => write(fleet, selected, outdir));
  return selected;
}

/**
 * The plain path, on a cdktf other than the one the fast path was written for (or with
 * PEEKSTACK_PLAIN_SYNTH set): the whole {@link Fleet} in one App, written by cdktf's own
 * App.synth(); the stacks not selected, and their manifest entries, are then left out.
 */
function writeStacksPlainly(fleet: FleetSpec, selected: readonly string[], outdir: string): void {
  const app = new App({ outdir });
  new Fleet(app, 'fleet', fleet);
  app.synth();
  const chosen = new Set(selected);
  const manifest = new Manifest(app.manifest.version, outdir, false);
  for (const [name, entry] of Object.entries(app.manifest.stacks)) {
    if (chosen.has(name)) manifest.stacks[name] = entry;
    else rmSync(join(outdir, entry.workingDirectory), { recursive: true, force: true });
  }
  manifest.writeToFile();
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
