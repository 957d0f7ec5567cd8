/**
 * What preflight found on one host: plain data, gathered by `gather.ts` (I/O) and judged by
 * `interpret.ts` (pure). Every field says where it was read.
 */

/** The engine, from `GET /version` and `GET /info`. */
export interface EngineFacts {
  /** `Version` of /version, e.g. `28.5.2`. */
  readonly version: string;
  /** `ApiVersion` of /version: the newest API the engine speaks. */
  readonly apiVersion: string;
  /** `MinAPIVersion` of /version: the oldest API it still accepts (1.44 from Docker 29 on). */
  readonly minApiVersion?: string;
  /** `KernelVersion` of /info. */
  readonly kernelVersion: string;
  readonly operatingSystem?: string;
  /** `CgroupVersion` of /info (`1` or `2`). */
  readonly cgroupVersion?: string;
  readonly cgroupDriver?: string;
  /** `DockerRootDir` of /info: where images, containers and volumes live. */
  readonly dockerRootDir: string;
}

/** One entry of a powercap directory as a probe saw it. */
export interface PowercapZone {
  /** Directory entry, e.g. `intel-rapl:0`. */
  readonly id: string;
  /** Content of its `name` file (`package-0`, `core`, `psys`), when readable. */
  readonly name?: string;
  /** `energy_uj` could be read. */
  readonly readable: boolean;
  /** The entry is a link whose target is missing (what Docker's mask leaves in an unprivileged container). */
  readonly dangling: boolean;
}

/** A powercap directory as one kind of container sees it. */
export interface PowercapView {
  /** The directory exists. */
  readonly present: boolean;
  readonly zones: readonly PowercapZone[];
}

/** An hwmon device of the host (`/sys/class/hwmon/hwmonN`). */
export interface HwmonDevice {
  readonly id: string;
  readonly name: string;
  /** `power1_average` in microwatts, when the device has one. */
  readonly power1AverageMicrowatts?: number;
}

/** A TCP socket listening in the host's network namespace (/proc/net/tcp, /proc/net/tcp6). */
export interface Listener {
  readonly port: number;
  readonly address: string;
}

/** A container on the engine and the host ports it publishes (`GET /containers/json?all=1`). */
export interface ContainerFacts {
  readonly name: string;
  readonly state: string;
  readonly publishedPorts: readonly number[];
  /** Runs in the host's network namespace (its listeners are the host's). */
  readonly hostNetwork: boolean;
}

/** What the short-lived probe containers read. */
export interface ProbeFacts {
  /** The image the probes ran from. */
  readonly image: string;
  /**
   * `/sys/class/powercap` as node_exporter reads it: the host's sysfs at /host/sys through the
   * stack's own `/` → `/host` read-only rslave bind, unprivileged, as root.
   */
  readonly hostSysfs: PowercapView;
  /** The container's own `/sys/class/powercap` (unprivileged): what Docker's mask leaves. */
  readonly ownSysfs: PowercapView;
  /**
   * Scaphandre's view: a privileged container with the host's /sys/class/powercap bound at the same
   * path; `undefined` when the host has no /sys/class/powercap to bind.
   */
  readonly privileged?: PowercapView;
  /** The engine's masked paths of an unprivileged container (`HostConfig.MaskedPaths` of the probe). */
  readonly maskedPaths: readonly string[];
  readonly hwmon: readonly HwmonDevice[];
  /** `/dev/nvidia*` device names of the host. */
  readonly nvidiaDevices: readonly string[];
  /** `/dev/ipmi*` device names of the host (the kernel's OpenIPMI driver, `ipmi_devintf`). */
  readonly ipmiDevices: readonly string[];
  /** DRM cards (`/sys/class/drm/cardN`) and their drivers. */
  readonly drmCards: readonly { readonly card: string; readonly driver?: string }[];
  readonly listeners: readonly Listener[];
  /** Free and total bytes of the Docker root dir's filesystem (`df -Pk`). */
  readonly disk?: { readonly freeBytes: number; readonly totalBytes: number };
  /**
   * Why the stack's `/` → `/host` rslave bind was refused (the host's `/` is not a shared mount), when
   * it was: node_exporter's container would not start. The probe then ran with a private bind.
   */
  readonly rslaveRefused?: string;
}

/** Everything found on one host; `probe` is absent with `probeUnknown` saying why. */
export interface HostFacts {
  readonly engine: EngineFacts;
  readonly containers: readonly ContainerFacts[];
  readonly probe?: ProbeFacts;
  /** Why there are no probe facts, e.g. `no probe image on the host`. */
  readonly probeUnknown?: string;
}
