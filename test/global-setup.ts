/**
 * vitest globalSetup: make sure the real binaries the tests need are in `.tools/bin`, so `npm test`
 * on a fresh machine sets itself up. The script returns in well under a second when the tools are
 * already there. A missing tool is a failure, never a skip: this throws if the script fails.
 */
import { spawnSync } from 'node:child_process';
import { INSTALL_SCRIPT, REPO_ROOT } from './real/tools';

export default function setup(): void {
  const result = spawnSync('bash', [INSTALL_SCRIPT], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.error) {
    throw new Error(`Could not run ${INSTALL_SCRIPT}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(
      `${INSTALL_SCRIPT} failed (exit ${result.status ?? `signal ${result.signal}`}); ` +
        'the real-binary tests cannot run without its tools. See its output above.',
    );
  }
}
