import { App } from 'cdktf';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Builds an app into a fresh directory beside `outdir` and swaps it in only when synthesis
 * succeeded, so a failed synthesis (bad input, a thrown validation) leaves the previous output as it
 * was, and a reader never sees a half-written one.
 *
 * @param outdir final output directory, e.g. `cdktf.out`
 * @param build adds the stacks to the app it is given
 */
export function synthesizeAtomically(outdir: string, build: (app: App) => void): void {
  const finalDir = resolve(outdir);
  const parent = dirname(finalDir);
  const stagingDir = mkdtempSync(join(parent, `.${basename(finalDir)}.staging-`));
  try {
    const app = new App({ outdir: stagingDir });
    build(app);
    app.synth();
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  }
  const previousDir = `${stagingDir}.previous`;
  if (existsSync(finalDir)) renameSync(finalDir, previousDir);
  renameSync(stagingDir, finalDir);
  rmSync(previousDir, { recursive: true, force: true });
}
