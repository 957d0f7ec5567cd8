import { App, TerraformStack } from 'cdktf';

export { replaceAtomically } from '../../constructs/synthesize';
import { keptResolutions, prepareKeepingResolutions, writingFromResolutions } from './resolve-once';

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
