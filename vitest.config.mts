import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Real-binary tests start processes and wait for scrapes; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The deployed tests (three Docker Engines, ~20 containers) run after the rest, alone: their
    // load would otherwise skew the timing-sensitive real-binary tests running beside them.
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/deployed/**'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'deployed', include: ['test/deployed/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
