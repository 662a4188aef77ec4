import { proxyActivities } from '@temporalio/workflow';
import type { ImportCheckInput, ImportCheckResult, ModelImportActivities } from './model-import.types';

const { checkImportedModel } = proxyActivities<ModelImportActivities>({
  // Loading a 100 MB graph and scoring 10,000 sample rows takes seconds, not minutes.
  startToCloseTimeout: '5 minutes',
  // A refusal (unsupported operator, a row that fails) is non-retryable; a lost worker is retried.
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/**
 * Checks an uploaded model before the app registers it: onnxruntime runs on the worker (never in
 * the app), on the import's files under DATA_DIR/model-imports. The app awaits the result.
 */
export async function modelImportWorkflow(input: ImportCheckInput): Promise<ImportCheckResult> {
  return checkImportedModel(input);
}
