#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx's loader, so the CLI, the actions and the tests
// share one copy of each core with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
