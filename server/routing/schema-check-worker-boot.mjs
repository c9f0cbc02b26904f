// A worker thread starts without the TypeScript loader its parent may have (vitest, a bare node
// with tsx registered in code), so it registers tsx itself before loading the worker.
import { register } from 'tsx/esm/api';

register();
await import('./schema-check-worker.ts');
