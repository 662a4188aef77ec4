/** Every workflow the worker runs: its bundle is built from this file. */
export { pipelineWorkflow } from './pipeline.workflow';
export { retentionWorkflow } from './retention/retention.workflow';
export { scheduledRunWorkflow } from './scheduled-run.workflow';
