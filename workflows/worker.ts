/**
 * `npm run worker`: one Temporal worker process for pipeline workflows and node activities.
 * Start as many as you like, on any machine that reaches the database and Temporal.
 */
import { nodeRun } from '../nodes/runs';
import { runWorkerProcess } from './worker-process';

runWorkerProcess(nodeRun);
