// Bundles the runtime into dist/server/main.js for `npm start`: plain node, no TypeScript loader
// on the request path. Dependencies stay in node_modules (--packages=external).
import { build } from 'esbuild';

await build({
  entryPoints: ['server/main.ts'],
  outfile: 'dist/server/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
