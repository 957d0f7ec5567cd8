#!/usr/bin/env node
import { runCli } from './commands';

/**
 * `peekstack`: the command line (see commands.ts). The package's bin is the bundle built from this
 * file, dist/bin/peekstack.js; dist/stacks/cli.js is the same program unbundled.
 */

export { CliIo, runCli, summarize } from './commands';

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2));
}
