/**
 * PeekStack CDK: power-aware machine monitoring as CDK for Terraform constructs.
 *
 * Import the stacks to deploy a fleet as PeekStack does, or the constructs to compose a collector
 * or a Grafana into your own stacks. Renderers and the fleet-file schema are exported too, so the
 * files and checks PeekStack uses can be reused and tested on their own.
 */

// Stacks
export * from './collector-stack';
export * from './interface-stack';
export * from './hub-stack';

// Constructs
export * from './collector';
export * from './interface';
export * from './prometheus';
export * from './node-exporter';
export * from './cadvisor';
export * from './scaphandre';
export * from './grafana';
export * from './fleet-store';
export * from './alertmanager';
export * from './blackbox-exporter';
export * from './external-store';
export * from './certificate-authority';
export * from './credentials';
export * from './docker-service';
export * from './aspects';
export * from './hardening';

// Add-ons, written against the public API only
export * from './addons/dcgm';

// Building blocks
export * from './docker-endpoint';
export * from './docker-provider';
export * from './state-backend';
export * from './state-backend-apply';
export * from './secret-token';
export * from './scrape-target';
export * from './images';
export * from './errors';
export * from './synthesize';
export * from './metric-catalog';
export * from './labels';
export * from './defaults';
export * from './alert-thresholds';
export * from './rule-group';
export * from './component';
export * from './components';
export * from './catalog-check';
export * from './promql';
export * from './dashboard-queries';

// Pure renderers (no cdktf inside)
export * from './render/prometheus-config';
export * from './render/web-config';
export * from './render/grafana-provisioning';
export * from './render/rules';
export * from './render/vmauth-config';
export * from './render/alertmanager-config';
export * from './render/blackbox-config';

// Fleet file
export * from './config';

// Dashboards as code: PeekStack's, and the helpers to build yours the same way
export { buildPeekStackDashboard, buildDashboards, buildFleetDashboard, toDashboardDefinition, DashboardDefinition } from '../dashboards';
export * from '../dashboards/shared';

// Energy accounting: factors (with their sources), the energy rules and their component, and the
// query behind `peekstack energy`.
export { AccountingFactors, ACCOUNTING_FACTOR_SOURCES, DEFAULT_ACCOUNTING_FACTORS, account, assertAccountingFactors } from './energy/factors';
export { ENERGY_RECORDS, ENERGY_RULE_GROUP, energyAccountingComponent, energyRuleGroup, EnergyRulesInput, raplPackageEnergyKwh } from './energy/rules';
export { EnergyReport, EnergyRow, EnergySelection, queryEnergy } from './energy/query';
