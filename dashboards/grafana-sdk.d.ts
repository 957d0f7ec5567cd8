// Type-only bridge for `@grafana/grafana-foundation-sdk` subpath imports.
//
// Why: the SDK publishes its modules only through package.json `exports`
// (`@grafana/grafana-foundation-sdk/dashboard`, ...), which the project's
// `"moduleResolution": "node"` ignores, so tsc cannot find their types. Node and vitest do honour
// `exports`, so the runtime import paths are the canonical ones; only the types need this
// mapping to the SDK's `dist/` declaration files. Delete this file when tsconfig moves to
// `"module"/"moduleResolution": "node16"` (nothing else has to change).

declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries';
}
declare module '@grafana/grafana-foundation-sdk/units' {
  export * from '@grafana/grafana-foundation-sdk/dist/units';
}
