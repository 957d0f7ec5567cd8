/**
 * `peekstack preflight`: what a host's engine, kernel and hardware mean for the stacks it is to run,
 * found before anything is deployed. `needs` (what a stack asks of its host) and `interpret`
 * (facts -> findings) are pure; `connect` and `gather` do the I/O (dockerode, loaded on first use).
 */
export { CADVISOR_DOCKER29, hostNeeds, MINIMUM_ENGINE, type HostNeeds, type PortNeed, type DiskNeed } from './needs';
export type { ContainerFacts, EngineFacts, HostFacts, HwmonDevice, Listener, PowercapView, PowercapZone, ProbeFacts } from './facts';
export { compareVersions, interpret, verdictOf, type Check, type Finding, type Level } from './interpret';
export { HOST_PROBE_SCRIPT, PRIVILEGED_PROBE_SCRIPT, parseProbeOutput, procNetAddress } from './probe-script';
export { connect, ConnectionProblem, describeConnectionError, sshCommand, type ConnectOptions, type EngineClient } from './connect';
export { gatherHostFacts, removeActiveProbes, PROBE_LABEL } from './gather';
export { preflight, type HostReport, type PreflightOptions } from './run';
export { formatPreflightJson, formatPreflightTable } from './report';
