// A worker thread starts without the TypeScript loader its parent may have (vitest, a bare node
// with tsx registered in code), so it registers tsx itself before loading the worker module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
