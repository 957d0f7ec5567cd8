/**
 * Runs the compiled CLI (dist/src/cli/cli.js) on many argument lists in one node process, the way
 * `node dist/src/cli/cli.js ARGS` would, and writes what each run printed and returned, and how long it took
 * (wall time, and the process's CPU time, which a busy machine's other processes do not inflate), as JSON to
 * the file named by the first argument. Everything that reaches stdout or stderr is captured: the
 * CLI's output (through its io, which writes straight to the file descriptors outside tests),
 * console output and other stream writes, and process warnings (a library warning would show up in
 * `stderr`). Anything written past these lands on the batch's own output, which the tests require empty.
 * Spawning node once per case would take ~0.7 s each (cdktf's import); this takes one start-up.
 *
 * Usage: node cli-batch.cjs RESULT.json CLI.js RUNS.json   (RUNS: [{ "argv": [...] }, ...])
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const [resultFile, cliFile, runsFile] = process.argv.slice(2);
const runs = JSON.parse(readFileSync(runsFile, 'utf8'));
let out = '';
let err = '';
const realWrite = { out: process.stdout.write, err: process.stderr.write };
process.stdout.write = (chunk) => ((out += String(chunk)), true);
process.stderr.write = (chunk) => ((err += String(chunk)), true);
// Node prints warnings from a listener of its own; catch them at the source.
process.emitWarning = (warning) => {
  err += `(node) Warning: ${warning instanceof Error ? warning.message : String(warning)}\n`;
};
const { runCli } = require(cliFile);
const results = runs.map(({ argv }) => {
  out = '';
  err = '';
  let code;
  const start = performance.now();
  const startCpu = process.cpuUsage();
  try {
    code = runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  } catch (error) {
    // runCli never throws; if it does, that is a finding, reported like node would.
    code = 'threw';
    err += String(error && error.stack);
  }
  const cpu = process.cpuUsage(startCpu);
  return { argv, code, stdout: out, stderr: err, milliseconds: performance.now() - start, cpuMilliseconds: (cpu.user + cpu.system) / 1000 };
});
process.stdout.write = realWrite.out;
process.stderr.write = realWrite.err;
writeFileSync(resultFile, JSON.stringify(results));
