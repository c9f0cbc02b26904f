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
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', globalSetup: ['test/e2e/global-setup.ts'], fileParallelism: false },
      },
    ],
  },
});
