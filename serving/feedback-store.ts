import type { Sql } from '../db/client';
import { findLoggedPredictions, upsertFeedback } from '../db/queries/prediction-feedback';
import { type ModelOutput, modelOutputSchema } from '../registry/version-schema';
import type { FeedbackStore } from './contracts';

/** The FeedbackStore over PostgreSQL: the lookup and the upsert of db/queries/prediction-feedback.ts. */
export function createFeedbackStore(sql: Sql): FeedbackStore {
  return {
    async lookUp(modelId, predictionIds) {
      const found = await findLoggedPredictions(sql, modelId, predictionIds);
      const outputs = new Map<number, ModelOutput>();
      for (const row of found.versions) {
        // Registered by the deploy step and never changed; a row that does not parse leaves its
        // labels unchecked rather than refusing feedback the model's owner needs.
        const output = modelOutputSchema.safeParse(row.output);
        if (output.success) outputs.set(row.version, output.data);
      }
      return { versionOf: found.versionOf, outputs };
    },
    store: ({ modelId, keyId, labels }) => upsertFeedback(sql, { modelId, keyId, rows: labels }),
  };
}
