import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], environment: 'node' },
      },
      {
        extends: true,
        // The editor is built once for every browser story (see test/e2e/global-setup.ts).
        // One browser story file at a time: on 2 cores, parallel Chromiums starve each other (a download event missed its 8 s).
        // Polls wait up to 10 s, not 1 s: the unit project runs beside them and a starved page can take seconds to re-render (an import was seen to miss 1 s on a fresh CI machine).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
