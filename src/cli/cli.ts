#!/usr/bin/env node
import { runCommand } from './commands';

/**
 * `peekstack`: the command line (see commands.ts). The package's bin is the bundle built from this
 * file, dist/bin/peekstack.js; dist/src/cli/cli.js is the same program unbundled.
 */

export { CliIo, runCli, runCommand, summarize } from './commands';

if (require.main === module) {
  void runCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
