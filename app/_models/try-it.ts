import { z } from 'zod';
import { labelSchema, type ModelSignature, type SignatureColumn } from '../../registry/version-schema';

/**
 * The Try it form's logic: one field per signature input, the row sent from what was typed, and the
 * serving answer read back (predictions, or the problems by row and column). Pure.
 */

/** What a field holds as typed: text for numbers and free text, the chosen option for the rest. */
export type FormValues = Record<string, string>;

/** The field a column gets: a number box, a select of known categories, a yes/no select, or text. */
export function fieldKind(column: SignatureColumn): 'number' | 'category' | 'boolean' | 'text' {
  if (column.type === 'number') return 'number';
  if (column.type === 'boolean') return 'boolean';
  return column.categories && column.categories.length > 0 ? 'category' : 'text';
}

/** Starting values: the first known category, `true`, and empty boxes elsewhere. */
export function initialValues(signature: ModelSignature): FormValues {
  return Object.fromEntries(
    signature.inputs.map((column) => {
      const kind = fieldKind(column);
      if (kind === 'category') return [column.name, column.categories?.[0] ?? ''];
      if (kind === 'boolean') return [column.name, 'true'];
      return [column.name, ''];
    }),
  );
}

/**
 * The row to send. An empty field is null (missing); a number that does not read as one is sent as
 * typed, so serving's validation names the row and column, as it would for any client.
 */
export function rowOf(signature: ModelSignature, values: FormValues): Record<string, unknown> {
  return Object.fromEntries(
    signature.inputs.map((column) => {
      const typed = values[column.name] ?? '';
      if (typed.trim() === '') return [column.name, null];
      const kind = fieldKind(column);
      if (kind === 'number') {
        const number = Number(typed);
        return [column.name, Number.isFinite(number) ? number : typed];
      }
      if (kind === 'boolean') return [column.name, typed === 'true'];
      return [column.name, typed];
    }),
  );
}

const predictionSchema = z.union([
  z.object({ id: z.string(), label: labelSchema, probabilities: z.record(z.string(), z.number()) }),
  z.object({ id: z.string(), value: z.number() }),
]);
export type TriedPrediction = z.infer<typeof predictionSchema>;

const successSchema = z.object({
  model: z.string(),
  version: z.number(),
  requestId: z.string(),
  predictions: z.array(predictionSchema),
  ignoredColumns: z.array(z.string()).optional(),
});

const problemSchema = z.object({ row: z.number(), column: z.string(), message: z.string() });
export type RowProblem = z.infer<typeof problemSchema>;

const failureSchema = z.object({ error: z.string(), problems: z.array(problemSchema).optional() });

export type TryAnswer =
  | ({ ok: true } & z.infer<typeof successSchema>)
  | { ok: false; status: number; message: string; problems: RowProblem[] };

/** Serving's answer (through the app's forwarding route) as the form shows it. */
export function answerOf(status: number, body: unknown): TryAnswer {
  if (status >= 200 && status < 300) {
    const success = successSchema.safeParse(body);
    if (success.success) return { ok: true, ...success.data };
    return {
      ok: false,
      status,
      message: 'The serving process answered in a shape this page does not know.',
      problems: [],
    };
  }
  const failure = failureSchema.safeParse(body);
  if (failure.success)
    return { ok: false, status, message: failure.data.error, problems: failure.data.problems ?? [] };
  return { ok: false, status, message: `The request failed with HTTP status ${status}.`, problems: [] };
}

/** Probabilities, highest first, for the bars. */
export function rankedProbabilities(probabilities: Record<string, number>): Array<[string, number]> {
  return Object.entries(probabilities).sort((a, b) => b[1] - a[1]);
}
