#!/usr/bin/env node
import { join } from 'node:path';
import { loadCached } from '../fast/cached-load';
import { setYoungGeneration } from '../fast/young-generation';

/** `peekstack` as installed (dist/bin/peekstack.js): runs the bundled CLI (cli.bundle.js) from its code cache. */
setYoungGeneration();
const { runCommand } = loadCached(join(__dirname, 'cli.bundle.js')) as typeof import('../commands');
void runCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
