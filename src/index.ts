/**
 * PeekStack CDK: power-aware machine monitoring as CDK for Terraform constructs.
 *
 * Import the stacks to deploy a fleet as PeekStack does, or the constructs to compose a collector
 * or a Grafana into your own stacks. Renderers and the fleet-file schema are exported too, so the
 * files and checks PeekStack uses can be reused and tested on their own.
 */

// The fleet: hub, collectors and interface built in one pass from the typed fleet file
export { Fleet, FleetStacks } from './fleet/fleet';
export { collectorStackPropsOf, fleetSettingsProblems, grafanaPropsOf, hubStackPropsOf } from './fleet/settings';

// Stacks
export * from './fleet/collector-stack';
export * from './fleet/interface-stack';
export * from './fleet/hub-stack';

// Constructs
export * from './collector/collector';
export * from './interface/interface';
export * from './components/prometheus/prometheus';
export * from './components/node-exporter/node-exporter';
export * from './components/cadvisor/cadvisor';
export * from './components/scaphandre/scaphandre';
export * from './interface/grafana';
export * from './hub/fleet-store';
export * from './hub/alertmanager';
export * from './components/blackbox/blackbox-exporter';
export * from './core/external-store';
export * from './constructs/certificate-authority';
export * from './constructs/credentials';
export * from './constructs/docker-service';
export * from './constructs/aspects';
export * from './constructs/hardening';

// Add-ons, written against the public API only
export * from './components/dcgm/dcgm';
export * from './components/ipmi/ipmi-exporter';
export * from './components/ipmi/definition';
export * from './components/ipmi/metrics';
export * from './components/energy/platform';

// Components: how they attach to a collector (yours as PeekStack's), and PeekStack's registry
export * from './components/collector-component';
export * from './components/registry';
export { nodeExporterComponent, NodeExporterOptions } from './components/node-exporter/node-exporter';
export { cadvisorComponent, CadvisorOptions } from './components/cadvisor/cadvisor';
export { scaphandreComponent, ScaphandreOptions } from './components/scaphandre/scaphandre';
export { blackboxComponent, BlackboxOptions, alertmanagerProbes, hostProbe } from './components/blackbox/blackbox-exporter';
export { prometheusSelfScrapeComponent } from './components/prometheus/self-scrape';
export { energyComponent } from './components/energy/energy';
export { platformPowerComponent, PlatformPowerOptions } from './components/platform-power/platform-power';

// Building blocks
export * from './core/docker-endpoint';
export * from './constructs/docker-provider';
export * from './core/state-backend';
export * from './constructs/state-backend-apply';
export * from './constructs/secret-token';
export * from './core/scrape-target';
export * from './core/images';
export * from './core/errors';
export * from './constructs/synthesize';
export * from './core/metric-catalog';
export * from './components/metric-catalog';
export * from './components/node-exporter/metrics';
export * from './components/cadvisor/metrics';
export * from './components/scaphandre/metrics';
export * from './components/prometheus/metrics';
export * from './core/labels';
export * from './core/defaults';
export * from './core/alert-thresholds';
export * from './core/rule-group';
export * from './components/component';
export * from './components';
export * from './dashboards/catalog-check';
export * from './core/promql';
export * from './dashboards/dashboard-queries';

// Pure renderers (no cdktf inside)
export * from './render/prometheus-config';
export * from './render/web-config';
export * from './render/grafana-provisioning';
export * from './render/rules';
export * from './render/vmauth-config';
export * from './render/alertmanager-config';
export * from './render/alertmanager-cluster-tls';
export * from './render/ipmi-exporter-config';
export * from './render/blackbox-config';

// Fleet file
export * from './config';

// Dashboards as code: PeekStack's, and the helpers to build yours the same way
export { buildPeekStackDashboard, buildDashboards, CONTAINERS_DASHBOARD_UID, POWER_DASHBOARD_UID, SYSTEM_DASHBOARD_UID } from './components/dashboards';
export { FLEET_DASHBOARD_UID } from './interface/fleet-dashboard';
export { toDashboardDefinition, DashboardDefinition } from './dashboards/definition';
export * from './dashboards/shared';

// Energy accounting: factors (with their sources), the energy rules and their component, and the
// query behind `peekstack energy`.
export { AccountingFactors, ACCOUNTING_FACTOR_SOURCES, DEFAULT_ACCOUNTING_FACTORS, account, assertAccountingFactors } from './components/energy/factors';
export { ENERGY_RECORDS, ENERGY_RULE_GROUP, energyAccountingComponent, energyRuleGroup, EnergyRulesInput, raplPackageEnergyKwh } from './components/energy/definition';
export { EnergyReport, EnergyRow, EnergySelection, queryEnergy } from './energy/query';
// Carbon by the hour and SCI: the embodied emissions a host is given, the intensity sources, the report.
export { EmbodiedEmissions, embodiedGrams } from './components/energy/embodied';
export { CarbonHour, CarbonReport, CarbonReportOptions, carbonReport, FunctionalUnit, HostCarbon, HostCarbonInput } from './energy/carbon';
export { CarbonIntensitySource } from './energy/carbon-intensity';
export { CarbonApiOptions, ElectricityMapsIntensities } from './energy/carbon-api';
export { CsvCarbonIntensities, parseCarbonCsv } from './energy/carbon-csv';
// Platform (whole-machine) power: one series per quantity for every source (ACPI meter, IPMI, the model).
export { MEASURED_SOURCES, PLATFORM_POWER_RULE_GROUP, PLATFORM_RECORDS, POWER_SOURCE, platformPowerRuleGroup, PlatformPowerRulesInput } from './components/platform-power/definition';
export { modelWatts, PowerModel, PowerModelInput, powerModelProblems, resolvePowerModel } from './components/platform-power/model';
export { CPU_POWER_CURVES, CPU_POWER_TABLE_SOURCE, CpuPowerCurve, curveWatts, lookupCpuPowerCurve } from './components/platform-power/cpu-power-table';
