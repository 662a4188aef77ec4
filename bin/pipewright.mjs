#!/usr/bin/env node
// `npx pipewright …`: loads the TypeScript command line through tsx, in this same process.
import { register } from 'tsx/esm/api';

register();
const { runMain } = await import('../cli/main.ts');
runMain();
