import { z } from 'zod';

/**
 * The body of POST /api/v1/models/{name}/feedback: `{"feedback": [{predictionId, label}, …]}`, or
 * one `{predictionId, label}` alone. A label is a class (string, number or true/false, as the
 * target column held it) or a regression's true value; whether it fits the model is checked later,
 * against the version that made the prediction (feedback-labels.ts).
 */

export const MAX_FEEDBACK_ITEMS = 10_000;
/** Longer than any class name; stops a client filling the table with text. */
export const MAX_LABEL_LENGTH = 1_000;

const labelSchema = z
  .union([z.string(), z.number(), z.boolean()], {
    error: (issue) =>
      issue.input === undefined ? 'is required' : 'must be a string, a number or true/false',
  })
  .refine((label) => typeof label !== 'string' || label.length <= MAX_LABEL_LENGTH, {
    error: `must be at most ${MAX_LABEL_LENGTH.toLocaleString('en')} characters`,
  });

export const feedbackItemSchema = z.object({
  predictionId: z
    .uuid({
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : 'must be a prediction id (a UUID from a prediction answer)',
    })
    // PostgreSQL writes UUIDs in lower case; one id in two spellings is one prediction.
    .transform((id) => id.toLowerCase()),
  label: labelSchema,
});
export type FeedbackItem = z.infer<typeof feedbackItemSchema>;

export const feedbackBatchSchema = z.object({
  feedback: z
    .array(feedbackItemSchema, {
      error: (issue) =>
        issue.input === undefined ? 'is required' : 'must be a list of {"predictionId", "label"} objects',
    })
    .min(1, { error: 'must hold at least one item' })
    .max(MAX_FEEDBACK_ITEMS, {
      error: `must hold at most ${MAX_FEEDBACK_ITEMS.toLocaleString('en')} items; send the rest in another request`,
    }),
});

/** One problem with a feedback request, pinned to its field (`feedback[3].label`). */
export interface FeedbackProblem {
  field: string;
  message: string;
}

/** Problems listed in an answer at most; the sentence names the first few. */
export const MAX_FEEDBACK_PROBLEMS = 50;
const PROBLEMS_IN_SENTENCE = 5;

export type ReadFeedback =
  | { ok: true; items: FeedbackItem[]; fieldOf: (index: number) => string }
  | { ok: false; problems: FeedbackProblem[]; more: number };

/** The items of a parsed body, or every problem with it (by field, the first MAX_FEEDBACK_PROBLEMS). */
export function readFeedbackBody(body: unknown): ReadFeedback {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {
      ok: false,
      problems: [{ field: 'body', message: 'must be {"feedback": [{"predictionId": …, "label": …}, …]}' }],
      more: 0,
    };
  if (!('feedback' in body)) {
    const single = feedbackItemSchema.safeParse(body);
    if (!single.success) return refused(single.error.issues);
    return { ok: true, items: [single.data], fieldOf: () => 'label' };
  }
  const batch = feedbackBatchSchema.safeParse(body);
  if (!batch.success) return refused(batch.error.issues);
  return { ok: true, items: batch.data.feedback, fieldOf: (index) => `feedback[${index}].label` };
}

function refused(issues: readonly z.core.$ZodIssue[]): ReadFeedback {
  const problems = issues.map((issue) => ({ field: fieldName(issue.path), message: issue.message }));
  return {
    ok: false,
    problems: problems.slice(0, MAX_FEEDBACK_PROBLEMS),
    more: Math.max(0, problems.length - MAX_FEEDBACK_PROBLEMS),
  };
}

/** `feedback[3].label` from ['feedback', 3, 'label']. */
function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path)
    name += typeof part === 'number' ? `[${part}]` : `${name === '' ? '' : '.'}${String(part)}`;
  return name === '' ? 'body' : name;
}

/** "feedback[3].label: must be one of "yes", "no"; …; and 12 more problems". */
export function feedbackProblemsSentence(problems: readonly FeedbackProblem[], more: number): string {
  const listed = problems
    .slice(0, PROBLEMS_IN_SENTENCE)
    .map((problem) => `${problem.field}: ${problem.message}`);
  const left = more + Math.max(0, problems.length - PROBLEMS_IN_SENTENCE);
  const tail = left > 0 ? `; and ${left} more problem${left > 1 ? 's' : ''}` : '';
  return `${listed.join('; ')}${tail}`;
}
