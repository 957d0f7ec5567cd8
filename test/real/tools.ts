/**
 * Where the real monitoring binaries live: `.tools/bin` of this repository, filled by
 * `scripts/install-test-tools.sh` (run automatically by test/global-setup.ts).
 */
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** The binaries that scripts/install-test-tools.sh provides. */
export type ToolName =
  | 'prometheus'
  | 'promtool'
  | 'node_exporter'
  | 'scaphandre'
  | 'proot'
  | 'victoria-metrics'
  | 'vmauth'
  | 'vmagent'
  | 'vmalert'
  | 'vmalert-tool'
  | 'alertmanager'
  | 'amtool'
  | 'blackbox_exporter'
  | 'ipmi_exporter';

/** Absolute path of the repository root (this file is <repo>/test/real/tools.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Absolute path of the folder holding the tool wrappers: `<repo>/.tools/bin`. */
export const TOOLS_DIR = path.join(REPO_ROOT, '.tools', 'bin');

/** Absolute path of the install script, for messages and for the global setup. */
export const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-test-tools.sh');

/**
 * Absolute path of a tool's executable under {@link TOOLS_DIR}.
 * @throws Error naming the tool and the install script when it is missing or not executable.
 */
export function toolPath(name: ToolName): string {
  const p = path.join(TOOLS_DIR, name);
  try {
    accessSync(p, constants.X_OK);
  } catch {
    throw new Error(
      `Test tool '${name}' is missing (expected an executable at ${p}). ` +
        `Run scripts/install-test-tools.sh to fetch it.`,
    );
  }
  return p;
}
