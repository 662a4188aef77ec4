import { z } from 'zod';

/**
 * The import dialog's two calls (POST /api/uploads/model, then POST /api/model-imports/:id), their
 * answers checked here so the dialog works with typed values. Browser-safe.
 */

const valueSchema = z.object({
  name: z.string(),
  kind: z.enum(['tensor', 'sequence', 'map', 'other']),
  elementType: z.string(),
  shape: z.array(z.number().nullable()).nullable(),
});
export type GraphValueView = z.infer<typeof valueSchema>;

export const uploadAnswerSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  bytes: z.number(),
  graph: z.object({
    producer: z.string(),
    inputs: z.array(valueSchema),
    outputs: z.array(valueSchema),
    inputForm: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('matrix'), features: z.number().nullable(), input: z.string() }),
      z.object({ kind: z.literal('columns') }),
    ]),
    task: z.enum(['classification', 'regression']),
    labels: z.array(z.union([z.string(), z.number()])).nullable(),
    operators: z.array(z.object({ opType: z.string(), domain: z.string() })),
  }),
});
export type UploadAnswer = z.infer<typeof uploadAnswerSchema>;

export const importAnswerSchema = z.object({
  model: z.string(),
  version: z.number(),
  task: z.enum(['classification', 'regression']),
  labels: z.array(z.union([z.string(), z.number()])),
  alias: z.enum(['production', 'staging']).nullable(),
  aliasReason: z.string().nullable(),
  awaitingApproval: z.boolean(),
  sampleRows: z.number(),
  monitored: z.boolean(),
});
export type ImportAnswer = z.infer<typeof importAnswerSchema>;

const errorSchema = z.object({ error: z.string() });

/** The answer, parsed; a refusal's sentence (or the status) as an Error. */
async function answerOf<T extends z.ZodType>(response: Response, schema: T): Promise<z.output<T>> {
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok)
    throw new Error(errorSchema.safeParse(json).data?.error ?? `The server answered ${response.status}`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error('The server answered with something unexpected');
  return parsed.data;
}

export async function uploadModelFile(file: File): Promise<UploadAnswer> {
  const response = await fetch(`/api/uploads/model?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  return answerOf(response, uploadAnswerSchema);
}

export interface ImportChoices {
  name: string;
  columns?: string[];
  labels?: string[];
  sample?: string;
  setAlias?: 'production' | 'staging' | 'none';
}

export async function importUploadedModel(importId: string, choices: ImportChoices): Promise<ImportAnswer> {
  const response = await fetch(`/api/model-imports/${encodeURIComponent(importId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(choices),
  });
  return answerOf(response, importAnswerSchema);
}

/** "float [N, 4]" */
export function typeText(value: GraphValueView): string {
  if (value.kind === 'sequence') return 'sequence of maps';
  if (value.kind !== 'tensor') return value.kind;
  const shape = value.shape
    ? ` [${value.shape.map((dim, index) => dim ?? (index === 0 ? 'N' : '?')).join(', ')}]`
    : '';
  return `${value.elementType}${shape}`;
}

/** The CSV header's names (the first line, split on commas outside quotes). */
export function csvHeader(text: string): string[] {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const names: string[] = [];
  let cell = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      names.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  names.push(cell.trim());
  return names.filter((name) => name !== '');
}

/** A model name from a file name: "Iris LogReg v2.onnx" → "Iris-LogReg-v2". */
export function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\.onnx$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
}
