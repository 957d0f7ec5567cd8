/**
 * The layers of the source, checked on its imports by dependency-cruiser (`npm run lint:boundaries`,
 * part of `npm run lint` and so of `npm test`). The one place these rules are written:
 * test/boundaries.test.ts runs this same configuration, on the tree and on a copy with deliberate
 * violations, and docs/layout.md explains the layers in words.
 *
 * Why dependency-cruiser rather than eslint-plugin-boundaries: it sees the whole import graph, so it
 * finds loops of any length (eslint looks at one file at a time; import/no-cycle re-walks the graph
 * per file), it tells type-only imports (erased at compile time) from the ones that load a module,
 * and its API lets a test cruise a fixture tree and read the violations.
 */

/**
 * Files that must load no cdktf, `constructs` or provider at run time: config, renderers, the pure
 * building blocks, the dashboards, `peekstack energy`, and the pure pieces of the component folders
 * (definition, metric catalog, image pin, fleet-file keys, settings, dashboards...). They form a
 * closed layer: they import, at run time, only each other and packages that are not cdktf, so no
 * chain through another file can bring cdktf in either. Type-only imports are erased and allowed.
 */
const PURE = [
  '^src/(config|render|core|dashboards|energy)/',
  '^src/components/(component|definition|alert|dashboards|metric-catalog)[.]ts$',
  '^src/components/[^/]+/(definition|dashboard|settings|floor|factors|embodied|platform|records|model|panels|cpu-power-table|delivery-alerts|metrics|image|fleet-keys)[.]ts$',
  '^src/(collector|hub|interface|fleet)/[a-z-]*settings[.]ts$',
];

/** cdktf and what comes with it, as resolved under node_modules. */
const CDKTF = '^node_modules/(cdktf|constructs|@cdktf/[^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'An import loop: modules that load each other half-initialised, and layers that cannot be told apart.',
      severity: 'error',
      from: { path: '^(src|test/support)/' },
      to: { circular: true },
    },
    {
      name: 'pure-loads-no-cdktf',
      comment: 'Config, renderers, pure building blocks, dashboards and component definitions load no cdktf (type-only imports are erased and allowed).',
      severity: 'error',
      from: { path: PURE },
      to: { path: CDKTF, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-imports-only-pure',
      comment: 'A pure file imports, at run time, only pure files: otherwise it could reach cdktf through a construct.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^src/', pathNot: PURE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-is-the-bottom',
      comment: 'src/core/ holds the building blocks everything else stands on: it imports only itself, except the gatherer of image pins, which reads the component folders\' image.ts (leaf files that import nothing).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/components/[^/]+/image[.]ts$'] },
    },
    {
      name: 'image-pins-import-nothing',
      comment: 'A component\'s image.ts is gathered by src/core/images.ts: importing anything would pull it under core.',
      severity: 'error',
      from: { path: '^src/components/[^/]+/image[.]ts$' },
      to: {},
    },
    {
      name: 'library-never-imports-cli',
      comment: 'The library (src/ outside src/cli/) never imports the CLI: the CLI parses the file and calls the library, not the other way round.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that names no file: a typo, or a file moved without its importers.',
      severity: 'error',
      from: { path: '^(src|test/support)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are part of the graph (a loop through them is still a loop), tagged
    // `type-only` so the cdktf rules can let them through.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    // Resolve packages as node does for this CommonJS package (the Grafana SDK is reached through its `exports`).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
