import { App } from 'cdktf';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes into a fresh directory beside `outdir` and swaps it in only when `write` succeeded, so a
 * failure (bad input, a thrown validation) leaves the previous output as it was, and a reader never
 * sees a half-written one.
 *
 * @param outdir final output directory, e.g. `cdktf.out`
 * @param write fills the staging directory it is given
 */
export function replaceAtomically(outdir: string, write: (stagingDir: string) => void): void {
  const finalDir = resolve(outdir);
  const parent = dirname(finalDir);
  const stagingDir = mkdtempSync(join(parent, `.${basename(finalDir)}.staging-`));
  try {
    write(stagingDir);
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  }
  const previousDir = `${stagingDir}.previous`;
  if (existsSync(finalDir)) renameSync(finalDir, previousDir);
  renameSync(stagingDir, finalDir);
  rmSync(previousDir, { recursive: true, force: true });
}

/**
 * Builds an app into a fresh directory beside `outdir` and swaps it in only when synthesis
 * succeeded (see {@link replaceAtomically}).
 *
 * @param outdir final output directory, e.g. `cdktf.out`
 * @param build adds the stacks to the app it is given
 */
export function synthesizeAtomically(outdir: string, build: (app: App) => void): void {
  replaceAtomically(outdir, (stagingDir) => {
    const app = new App({ outdir: stagingDir });
    build(app);
    app.synth();
  });
}
