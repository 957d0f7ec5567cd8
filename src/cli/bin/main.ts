import { join } from 'node:path';
import { loadCached } from '../fast/cached-load';
import { setYoungGeneration } from '../fast/young-generation';

/** The app as `npm run synth` and cdktf-cli run it (dist/bin/main.js): the bundled app (main.bundle.js) from its code cache. */
setYoungGeneration();
const { runApp } = loadCached(join(__dirname, 'main.bundle.js')) as typeof import('../main');
process.exitCode = runApp(process.argv.slice(2));
