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
export * from './external-store';
export * from './certificate-authority';
export * from './credentials';
export * from './docker-service';

// Building blocks
export * from './docker-endpoint';
export * from './state-backend';
export * from './scrape-target';
export * from './images';
export * from './errors';
export * from './synthesize';
export * from './metric-catalog';

// Pure renderers (no cdktf inside)
export * from './render/prometheus-config';
export * from './render/web-config';
export * from './render/grafana-provisioning';
export * from './render/rules';
export * from './render/vmauth-config';

// Fleet file
export * from './config';

// Dashboards as code
export { buildDashboards, buildFleetDashboard, DashboardDefinition } from '../dashboards';
