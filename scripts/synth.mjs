#!/usr/bin/env node
/**
 * `npm run synth [-- --fleet FILE --out DIR STACK ...]`: builds only when an input changed since the
 * last build (scripts/build.mjs keeps a hash of them), then runs the bundled app in this process.
 * Nothing changed: no compiler, no second Node process, just the app (from its code cache).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, isUpToDate, ROOT } from './build.mjs';

if (!isUpToDate()) await build();
// The app's launcher runs the app with this process's arguments (process.argv.slice(2)) and sets its exit code.
createRequire(import.meta.url)(join(ROOT, 'dist', 'bin', 'main.js'));
