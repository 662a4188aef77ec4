import path from 'node:path';
import { z } from 'zod';

/**
 * An import's files, under DATA_DIR/model-imports/<id>/: the upload as it came (`upload.onnx`, with
 * `upload.json` saying who sent it), then the rewritten graph (`model.onnx`) and the sample rows
 * (`sample.json`) the worker checks it on. The id is a UUID the app made: no user text in the path.
 */
export const IMPORTS_FOLDER = 'model-imports';
export const UPLOAD_FILE = 'upload.onnx';
export const UPLOAD_FACTS_FILE = 'upload.json';
export const REWRITTEN_FILE = 'model.onnx';
export const SAMPLE_FILE = 'sample.json';

export const importIdSchema = z.uuid('An import id is the UUID the upload answered with');

export function importFolder(dataDir: string, importId: string): string {
  return path.join(dataDir, IMPORTS_FOLDER, importIdSchema.parse(importId));
}

/** The sample rows in the rewritten graph's input order (null: missing). */
export const importSampleSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.enum(['number', 'boolean', 'string']) })),
  rows: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))),
});
export type ImportSample = z.infer<typeof importSampleSchema>;

/** Who uploaded the file, and its name, written beside it. */
export const uploadFactsSchema = z.object({
  fileName: z.string(),
  bytes: z.number(),
  /** The uploader's account; null for the local CLI. */
  userId: z.string().nullable(),
  at: z.string(),
});
export type UploadFacts = z.infer<typeof uploadFactsSchema>;
