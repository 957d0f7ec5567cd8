import { App, TerraformStack } from 'cdktf';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { keptResolutions, prepareKeepingResolutions, writingFromResolutions } from './resolve-once';

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

/**
 * `App.synth()` for some of an app's stacks: prepares `stacks` and then `readers` (stacks that read
 * values of `stacks`: preparing them is what adds the cross-stack outputs to the stacks they read),
 * and writes `stacks` and (unless `writeManifest` is false) the manifest. The other stacks of the app are neither prepared nor written,
 * which is the saving: `App.synth()` resolves every stack of the app, wanted or not.
 *
 * Same steps, same order as `App.synth()` of cdktf 0.21 (prepare all, then synthesize each, then the
 * app's own validations and the manifest), so a stack comes out byte for byte as from `App.synth()`;
 * each element is resolved once instead of twice (src/resolve-once.ts).
 */
export function synthesizeStacks(app: App, stacks: readonly TerraformStack[], readers: readonly TerraformStack[] = [], options: { readonly writeManifest?: boolean } = {}): void {
  // In the app's order, as App.synth() prepares them.
  const prepared = new Set<TerraformStack>([...stacks, ...readers]);
  const kept = keptResolutions();
  for (const child of app.node.children) if (prepared.has(child as TerraformStack)) prepareKeepingResolutions(child as TerraformStack, kept);
  const session = { outdir: app.outdir, skipValidation: app.skipValidation, manifest: app.manifest };
  for (const stack of stacks) writingFromResolutions(stack, kept, () => stack.synthesizer.synthesize(session));
  if (!app.skipValidation) {
    const problems = app.node.validate();
    if (problems.length > 0) throw new Error(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);
  }
  if (options.writeManifest ?? true) app.manifest.writeToFile();
}
