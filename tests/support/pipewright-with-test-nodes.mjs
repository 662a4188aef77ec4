#!/usr/bin/env node
// `pipewright` for tests: the real command line, told about the test-only node types as well.
import { register } from 'tsx/esm/api';

register();
const { runMain } = await import('../../cli/main.ts');
const { nodesWithTestNodes } = await import('./nodes/registry.ts');
runMain(nodesWithTestNodes);
