import { Container, ContainerConfig, ContainerHealthcheck } from '@cdktf/provider-docker/lib/container';
import { PeekStackValidationError } from '../core/errors';

/**
 * What a container can take of Docker's hardening. Each PeekStack component states its own profile
 * where it builds its container (with the reason for every exception); {@link ContainerHardening}
 * applies a default profile to containers that have none (a user's own exporters).
 */
export interface HardeningProfile {
  /**
   * Hard memory limit, MiB (`--memory`); swap is not added on top (`--memory-swap` = the same).
   * @default - no limit
   */
  readonly memoryLimitMegabytes?: number;
  /**
   * `no-new-privileges`: no setuid binary can raise the process's privileges.
   * @default true
   */
  readonly noNewPrivileges?: boolean;
  /**
   * Drop every Linux capability (`--cap-drop ALL`), then add back `addCapabilities`. Meaningless for
   * privileged containers, which keep all.
   * @default true
   */
  readonly dropAllCapabilities?: boolean;
  /**
   * Capabilities added back after dropping all (e.g. `SYS_ADMIN` for NVIDIA's DCGM).
   * @default - none
   */
  readonly addCapabilities?: readonly string[];
  /**
   * Read-only root filesystem. Docker refuses to upload files (the provider's `upload`) into a
   * container whose root filesystem is read-only, so containers that receive files cannot have it.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * A health check command run inside the container.
   * @default - the image's own, if any
   */
  readonly healthcheck?: ContainerHealthcheck;
}

/** Linux capability names as Docker takes them. */
const CAPABILITY = /^[A-Z_]{2,32}$/;

/** The container settings a profile stands for. */
export function hardeningSettings(field: string, profile: HardeningProfile): Partial<ContainerConfig> {
  if (profile.memoryLimitMegabytes !== undefined && (!Number.isInteger(profile.memoryLimitMegabytes) || profile.memoryLimitMegabytes < 6)) {
    // 6 MiB is Docker's own minimum.
    throw new PeekStackValidationError(`${field}.memoryLimitMegabytes`, profile.memoryLimitMegabytes, 'an integer of at least 6 (MiB, Docker\'s minimum)');
  }
  for (const capability of profile.addCapabilities ?? []) {
    if (!CAPABILITY.test(capability)) throw new PeekStackValidationError(`${field}.addCapabilities`, capability, 'capability names such as "SYS_ADMIN" (without "CAP_")');
  }
  const dropAll = profile.dropAllCapabilities ?? true;
  return {
    ...(profile.memoryLimitMegabytes !== undefined ? { memory: profile.memoryLimitMegabytes, memorySwap: profile.memoryLimitMegabytes } : {}),
    ...((profile.noNewPrivileges ?? true) ? { securityOpts: ['no-new-privileges:true'] } : {}),
    ...(dropAll || profile.addCapabilities?.length ? { capabilities: { drop: dropAll ? ['ALL'] : undefined, add: profile.addCapabilities ? [...profile.addCapabilities] : undefined } } : {}),
    ...(profile.readOnlyRootFilesystem ? { readOnly: true } : {}),
    ...(profile.healthcheck ? { healthcheck: profile.healthcheck } : {}),
  };
}

/**
 * Applies a profile to an existing container, only where the container does not already say
 * otherwise (a component's own profile wins): memory and health check if unset, no-new-privileges
 * added to its security options, capabilities dropped unless set or privileged.
 */
export function hardenContainer(container: Container, profile: HardeningProfile): void {
  const settings = hardeningSettings('ContainerHardening', profile);
  if (settings.memory !== undefined && container.memoryInput === undefined) {
    container.memory = settings.memory;
    container.memorySwap = settings.memory;
  }
  if (settings.securityOpts) {
    const current = container.securityOptsInput ?? [];
    if (!current.some((option) => option.startsWith('no-new-privileges'))) container.securityOpts = [...current, ...settings.securityOpts];
  }
  if (settings.capabilities && container.capabilitiesInput === undefined && container.privilegedInput !== true) {
    container.putCapabilities(settings.capabilities);
  }
  if (settings.readOnly && container.readOnlyInput === undefined && (container.uploadInput === undefined || (Array.isArray(container.uploadInput) && container.uploadInput.length === 0))) {
    container.readOnly = true;
  }
  if (settings.healthcheck && container.healthcheckInput === undefined) container.putHealthcheck(settings.healthcheck);
}
