/**
 * The part of a synthesized container's hardening that changes what a process may do, applied to
 * the real binary the harness runs: `no-new-privileges` and the capability set, through util-linux's
 * `setpriv`, read from the synthesized container itself. So "the real tests pass with hardening on"
 * is checked, not assumed: an exporter that needed a dropped capability would fail here.
 * (The memory limit is a cgroup setting the harness cannot impose without Docker.)
 */
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

/** The synthesized settings read here (snake_case, as in cdk.tf.json). */
interface HardenedContainer {
  security_opts?: string[];
  capabilities?: { drop?: string[]; add?: string[] };
  privileged?: boolean;
}

/** `setpriv` and its arguments that put a command under `container`'s restrictions, or [] for none. */
export function sandboxPrefix(container: HardenedContainer): string[] {
  const args: string[] = [];
  if ((container.security_opts ?? []).includes('no-new-privileges:true')) args.push('--no-new-privs');
  const drop = container.capabilities?.drop ?? [];
  if (!container.privileged && drop.includes('ALL')) {
    // A root process keeps only the bounding set across exec: empty it, but for the added ones.
    const add = (container.capabilities?.add ?? []).map((cap) => `,+${cap.toLowerCase()}`).join('');
    args.push(`--bounding-set=-all${add}`, `--inh-caps=-all${add}`);
  }
  return args.length > 0 ? ['/usr/bin/setpriv', ...args] : [];
}

/**
 * Runs `command` inside the sandbox, in the file system view `bindArgs` builds (`-b SRC:DST` pairs,
 * see mount-namespace/): the first element is what to exec, the rest its arguments. The mounts come
 * first: setpriv drops the capability they need.
 */
export function sandboxed(container: HardenedContainer, bindArgs: readonly string[], command: string, args: readonly string[]): [string, string[]] {
  return [BIND_MOUNTS_SCRIPT, [...bindArgs, ...sandboxPrefix(container), command, ...args]];
}
