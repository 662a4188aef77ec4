/** Every workflow the worker runs: its bundle is built from this file. */

export { modelImportWorkflow } from './model-import/model-import.workflow';
export { deliveryWorkflow } from './notifications/delivery.workflow';
export { pipelineWorkflow } from './pipeline.workflow';
export { retentionWorkflow } from './retention/retention.workflow';
export { scheduledRunWorkflow } from './scheduled-run.workflow';
