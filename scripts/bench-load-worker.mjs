// Worker entry for the bench's load generator: teaches the worker TypeScript, then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./bench-load.ts');
