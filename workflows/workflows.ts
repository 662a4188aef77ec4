/** Every workflow the worker runs: its bundle is built from this file. */
export { pipelineWorkflow } from './pipeline.workflow';
export { scheduledRunWorkflow } from './scheduled-run.workflow';
