/**
 * Runs a real binary in the file system view its container gives it: its deployed files at their
 * container paths (/etc/prometheus, /prometheus, /etc/hosts, ...), a simulated powercap or hwmon tree
 * at /sys/class/..., and for node_exporter the host's root at /host. bind-mounts.sh builds that view
 * in a private mount namespace with the kernel's bind mounts; it takes `proot -b SRC:DST` arguments.
 *
 * Why not proot: Debian's proot has no seccomp acceleration, so it stops the traced process at every
 * system call. A Scaphandre reading every /proc/<pid> each second cost a tenth of a core under proot
 * against under a hundredth bare, and with the whole suite run at once the proot'd exporters took
 * more CPU than the tests (434 s of system time in a 440 s run on 2 cores), which starved the very
 * scrapes the ±1 % energy checks time.
 *
 * What it does not prove: a container's other walls (its own PID and network namespaces, cgroup
 * limits, an image's own libraries). The real Docker Engine tests (test/deployed/) cover those.
 */
import * as path from 'node:path';

/**
 * The launcher: `bind-mounts.sh [-b SRC:DST]... COMMAND [ARG]...`, the `-b` pairs as proot takes
 * them, applied in order (a later DST may lie inside an earlier one). A missing DST is created in the
 * namespace only; DST /proc/modules is served to programs linked with the C library (see
 * fake-proc-modules.c).
 */
export const BIND_MOUNTS_SCRIPT = path.join(__dirname, 'bind-mounts.sh');
