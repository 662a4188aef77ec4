import type { ModelLabel } from '../registry/version-schema';
import type { FeedbackStore } from './contracts';
import { type FeedbackItem, type FeedbackProblem, MAX_FEEDBACK_PROBLEMS } from './feedback-body';
import { checkLabel } from './feedback-labels';

/**
 * Takes one feedback request's items for a model: looks the ids up in the prediction log (one
 * query), checks each label against the version that made its prediction, and stores them all in
 * one upsert, or none when a label does not fit. Ids the log does not hold for this model (typos,
 * another model's, predictions past retention) do not fail the request: they are listed back.
 */

/** Unknown ids listed in an answer at most; `unknownCount` gives them all. */
export const MAX_UNKNOWN_LISTED = 100;

export type FeedbackOutcome =
  | { ok: true; accepted: number; unknown: string[]; unknownCount: number }
  | { ok: false; problems: FeedbackProblem[]; more: number };

export async function receiveFeedback(
  store: FeedbackStore,
  input: {
    modelId: string;
    keyId: string | null;
    items: readonly FeedbackItem[];
    /** The field of item `index`'s label, for refusals (`feedback[3].label`). */
    fieldOf: (index: number) => string;
  },
): Promise<FeedbackOutcome> {
  const ids = [...new Set(input.items.map((item) => item.predictionId))];
  const logged = await store.lookUp(input.modelId, ids);
  const labels: { predictionId: string; label: ModelLabel }[] = [];
  const problems: FeedbackProblem[] = [];
  let more = 0;
  input.items.forEach((item, index) => {
    const version = logged.versionOf.get(item.predictionId);
    if (version === undefined) return;
    const checked = checkLabel(item.label, logged.outputs.get(version));
    if (checked.ok) labels.push({ predictionId: item.predictionId, label: checked.label });
    else if (problems.length < MAX_FEEDBACK_PROBLEMS)
      problems.push({ field: input.fieldOf(index), message: checked.message });
    else more += 1;
  });
  // All or nothing: a client that fixes its labels sends the same request again.
  if (problems.length > 0) return { ok: false, problems, more };
  const unknown = ids.filter((id) => !logged.versionOf.has(id));
  const accepted =
    labels.length === 0 ? 0 : await store.store({ modelId: input.modelId, keyId: input.keyId, labels });
  return { ok: true, accepted, unknown: unknown.slice(0, MAX_UNKNOWN_LISTED), unknownCount: unknown.length };
}
