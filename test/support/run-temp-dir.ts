/**
 * vitest globalSetup of `npm test`'s main part and of `npm run test:unit`: one temp folder for the
 * whole run, given to every worker as TMPDIR (so `os.tmpdir()` and `mkdtemp` land in it), and removed
 * with everything in it when the run ends.
 *
 * Why: many tests make temp folders (certificates, deployed files, fleet files, TSDBs) and not all
 * of them remove theirs; a machine that ran the suite kept hundreds of `peekstack-*` folders in
 * /tmp. The engine tests (vitest.engines.config.mts) keep the plain /tmp: their engines' sockets
 * live under their folders, and a socket path has a length limit.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'peekstack-run-'));
  // As /tmp is: tests that run a command as another user (nobody) reach their folders through it.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
