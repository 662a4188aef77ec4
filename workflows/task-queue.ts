/** The one task queue every pipeline workflow and node activity runs on. */
export const PIPELINE_TASK_QUEUE = 'pipewright-pipeline';
