/** `npm run worker` for tests: the real worker process, running the test-only node types as well. */
import { runWorkerProcess } from '../../workflows/worker-process';
import { runOfWithTestNodes } from './nodes/registry';
import { specOfWithTestNodes } from './nodes/specs';

runWorkerProcess(runOfWithTestNodes, specOfWithTestNodes);
