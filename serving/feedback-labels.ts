import type { ModelLabel, ModelOutput } from '../registry/version-schema';

/**
 * Whether a feedback label fits the version that made the prediction: one of its classes for a
 * classifier (when the registry lists them), a finite number for a regression.
 */

/** Classes named in a refusal at most; a model with hundreds of them gets the count. */
const CLASSES_IN_MESSAGE = 10;

export type CheckedLabel = { ok: true; label: ModelLabel } | { ok: false; message: string };

/**
 * The label to store, or why it does not fit. A class is stored as the signature spells it: 5 and
 * "5", true and "true" read alike, as prediction answers read the graph's labels (predict.ts), so
 * a client that sends the number 1 for the class "1" is understood, and accuracy later compares
 * like with like.
 */
export function checkLabel(label: ModelLabel, output: ModelOutput | undefined): CheckedLabel {
  if (output === undefined) return { ok: true, label };
  if (output.task === 'regression') {
    if (typeof label !== 'number') return { ok: false, message: 'must be a number (the true value)' };
    // JSON has no infinity, but 1e999 parses to one.
    return Number.isFinite(label) ? { ok: true, label } : { ok: false, message: 'must be a finite number' };
  }
  const classes = output.labels;
  if (classes.length === 0) return { ok: true, label };
  const exact = classes.find((known) => known === label);
  if (exact !== undefined) return { ok: true, label: exact };
  const spelled = String(label);
  const alike = classes.find((known) => String(known) === spelled);
  if (alike !== undefined) return { ok: true, label: alike };
  return { ok: false, message: `must be one of ${classList(classes)}` };
}

function classList(classes: readonly ModelLabel[]): string {
  const named = classes.slice(0, CLASSES_IN_MESSAGE).map((known) => JSON.stringify(known));
  const rest = classes.length - named.length;
  return rest > 0 ? `${named.join(', ')} (or one of ${rest} more classes)` : named.join(', ');
}
