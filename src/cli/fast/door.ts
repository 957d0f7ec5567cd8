/**
 * The one door to cdktf's internals. Everything in this folder (src/cli/fast/) leans on how cdktf
 * 0.21.0 works inside: resolve-once.ts (resolve each element once; cdktf/lib/util), synthesize.ts
 * (App.synth() for some stacks), token-registry.ts (cdktf's global token map), and the patches the
 * build appends to cdktf's modules (cdktf/: fast-resolve, snake-case-memo, stable-stringify). Only
 * the CLI's synthesis uses them, and only when the cdktf loaded is the one they were written for:
 * on any other, {@link fastPathUsable} is false and the CLI synthesizes the plain way (a whole
 * Fleet, cdktf's own App.synth()), which writes the same bytes (test/cli/fast/fast-path.test.ts). The
 * launchers' code cache and young-generation size (cached-load.ts, young-generation.ts) touch only
 * Node, not cdktf.
 */

/** The cdktf version this folder was written for (checked again by the build for the patches). */
export const FAST_PATH_CDKTF_VERSION = '0.21.0';

/** The version of the cdktf loaded, as its package says. */
export function loadedCdktfVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('cdktf/package.json') as { version: string }).version;
}

/**
 * True when the fast path may run: the cdktf loaded is {@link FAST_PATH_CDKTF_VERSION}, and
 * PEEKSTACK_PLAIN_SYNTH is not set (set, it forces the plain path: the tests compare both).
 */
export function fastPathUsable(env: NodeJS.ProcessEnv = process.env, version: string = loadedCdktfVersion()): boolean {
  return !env.PEEKSTACK_PLAIN_SYNTH && version === FAST_PATH_CDKTF_VERSION;
}
