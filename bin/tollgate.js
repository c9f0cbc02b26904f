#!/usr/bin/env node
// The CLI is TypeScript like the rest of Tollgate; tsx compiles it on load.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
