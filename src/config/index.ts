/** The fleet file: schema, loader, and the validated {@link FleetSpec} the app builds stacks from. */
export { FleetConfigError, FleetProblem, formatProblem } from './problems';
export { FleetLoadOptions, loadFleetFile, parseFleet } from './loader';
export { FleetSpec, HostSpec, InterfaceSpec, ExporterSpec, FLEET_DEFAULTS, StoreSpec, StoreKind, hubStackOf } from './spec';
export { collectorStackName, HOST_NAME_PATTERN, HUB_STACK_NAME, INTERFACE_STACK_NAME, variablePrefix } from './stack-names';
export { fleetFileSchema, FleetFile } from './schema';
export { alertmanagerTargetsFrom, FleetAlertmanager, fleetAlertmanagers, gossipAddressOf } from './alertmanagers';
export { describeFailure, EXIT, UsageError } from './report';
