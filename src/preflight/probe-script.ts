/**
 * The shell script the probe containers run (busybox `sh`, as in the upstream Prometheus images) and
 * the parser of what it prints. Pure: the I/O is in gather.ts.
 *
 * Output: one fact per line, `@<kind> <fields...>`; anything else is ignored.
 */
import type { HwmonDevice, Listener, PowercapView, PowercapZone } from './facts';

/** Lists a powercap directory as `@zone <view> <id> <readable> <dangling> <name>` lines. */
const ZONES_FUNCTION = String.raw`zones() {
  if [ ! -d "$2" ]; then echo "@nodir $1"; return; fi
  echo "@dir $1"
  for z in "$2"/*; do
    [ -e "$z" ] || [ -L "$z" ] || continue
    id="${"$"}{z##*/}"
    r=no; cat "$z/energy_uj" >/dev/null 2>&1 && r=yes
    d=no; [ -L "$z" ] && [ ! -e "$z" ] && d=yes
    n="$(cat "$z/name" 2>/dev/null | tr -d '[:space:]')"
    echo "@zone $1 $id $r $d $n"
  done
}`;

/**
 * The main probe: run unprivileged, as root, in the host's network namespace, with the host's `/`
 * at /host (the mounts of the stack's node_exporter). `$ROOTDIR` is the Docker root dir.
 */
export const HOST_PROBE_SCRIPT = [
  ZONES_FUNCTION,
  'zones host /host/sys/class/powercap',
  'zones own /sys/class/powercap',
  'for h in /host/sys/class/hwmon/*; do [ -e "$h/name" ] || continue; p="$(cat "$h/power1_average" 2>/dev/null)"; echo "@hwmon ${h##*/} $(cat "$h/name" | tr -d "[:space:]") ${p:--}"; done',
  'for d in /host/dev/nvidia*; do [ -e "$d" ] && echo "@nvidia ${d##*/}"; done',
  'for d in /host/dev/ipmi*; do [ -e "$d" ] && echo "@ipmi ${d##*/}"; done',
  'for c in /host/sys/class/drm/card*; do case "${c##*/}" in *-*) continue;; esac; [ -e "$c" ] || continue; dr="$(readlink "$c/device/driver" 2>/dev/null)"; echo "@drm ${c##*/} ${dr##*/}"; done',
  'for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && while read -r sl local rem st rest; do echo "@tcp $local $st"; done < "$f"; done',
  'df -Pk "/host$ROOTDIR" 2>/dev/null | tail -n 1 | sed "s/^/@df /"',
  'echo "@end"',
].join('\n');

/** The privileged probe (Scaphandre's view): the host's /sys/class/powercap bound at the same path. */
export const PRIVILEGED_PROBE_SCRIPT = [ZONES_FUNCTION, 'zones privileged /sys/class/powercap', 'echo "@end"'].join('\n');

/** What the probes printed, parsed. */
export interface ProbeOutput {
  readonly views: Record<string, PowercapView>;
  readonly hwmon: HwmonDevice[];
  readonly nvidiaDevices: string[];
  readonly ipmiDevices: string[];
  readonly drmCards: { card: string; driver?: string }[];
  readonly listeners: Listener[];
  readonly disk?: { freeBytes: number; totalBytes: number };
  /** The script ran to its end (`@end`). */
  readonly complete: boolean;
}

/** An address of /proc/net/tcp (`0100007F`) or tcp6 (32 hex digits), as text. */
export function procNetAddress(hex: string): string {
  if (hex.length === 8) {
    const n = Number.parseInt(hex, 16);
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
  }
  // IPv6: four 32-bit words, each in host (little-endian) order.
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = word.match(/../g)!.reverse().join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = groups.map((g) => Number.parseInt(g, 16).toString(16)).join(':');
  return text === '0:0:0:0:0:0:0:0' ? '::' : text.replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Parses the probes' output (one or several runs concatenated). */
export function parseProbeOutput(text: string): ProbeOutput {
  const views: Record<string, { present: boolean; zones: PowercapZone[] }> = {};
  const out: ProbeOutput = { views, hwmon: [], nvidiaDevices: [], ipmiDevices: [], drmCards: [], listeners: [], complete: false };
  let disk: ProbeOutput['disk'];
  let complete = false;
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const [kind, ...f] = line.trim().split(/\s+/);
    switch (kind) {
      case '@nodir':
        views[f[0]] = { present: false, zones: [] };
        break;
      case '@dir':
        views[f[0]] = { present: true, zones: [] };
        break;
      case '@zone': {
        const view = (views[f[0]] ??= { present: true, zones: [] });
        view.zones.push({ id: f[1], readable: f[2] === 'yes', dangling: f[3] === 'yes', ...(f[4] ? { name: f[4] } : {}) });
        break;
      }
      case '@hwmon': {
        const microwatts = Number(f[2]);
        out.hwmon.push({ id: f[0], name: f[1] ?? '', ...(f[2] && f[2] !== '-' && Number.isFinite(microwatts) ? { power1AverageMicrowatts: microwatts } : {}) });
        break;
      }
      case '@nvidia':
        out.nvidiaDevices.push(f[0]);
        break;
      case '@ipmi':
        out.ipmiDevices.push(f[0]);
        break;
      case '@drm':
        out.drmCards.push({ card: f[0], ...(f[1] ? { driver: f[1] } : {}) });
        break;
      case '@tcp': {
        // `local_address st`; 0A is LISTEN. The header line ("local_address" "st") is skipped by the regex.
        const m = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(f[0] ?? '');
        if (!m || f[1] !== '0A') break;
        const listener = { address: procNetAddress(m[1]), port: Number.parseInt(m[2], 16) };
        const key = `${listener.address} ${listener.port}`;
        if (!seen.has(key)) out.listeners.push(listener);
        seen.add(key);
        break;
      }
      case '@df': {
        // Filesystem 1024-blocks Used Available Capacity Mounted-on
        const [, total, , available] = f;
        if (/^\d+$/.test(total ?? '') && /^\d+$/.test(available ?? '')) disk = { totalBytes: Number(total) * 1024, freeBytes: Number(available) * 1024 };
        break;
      }
      case '@end':
        complete = true;
        break;
      default:
        break;
    }
  }
  return { ...out, disk, complete };
}
