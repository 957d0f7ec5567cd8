/**
 * Dashboards as code: the definition Grafana provisioning takes, and the helpers every dashboard
 * (PeekStack's, in its components' folders, and yours) is built with.
 */
export * from './definition';
export * from './shared';
