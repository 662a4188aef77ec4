import { zipSync } from 'fflate';
import type { Sql } from '../../db/client';
import { findModelByName, findModelVersion, readModelFile } from '../../db/queries/registry';
import { embeddingReadme } from '../../registry/embedding-readme';
import {
  MODEL_FILE,
  modelNameSchema,
  modelSignatureSchema,
  REFERENCE_FILE,
  type ReferenceSample,
  referenceSampleSchema,
  versionReferenceSchema,
} from '../../registry/version-schema';
import { type AuditedCall, recordAction } from './audit-trail';

/**
 * A model version for embedding, as one .zip: its model.onnx (raw columns in, transforms included)
 * and a README.md generated for it (registry/embedding-readme.ts), in a folder named for the version
 * so unzipping never scatters files. Refusals are answers with a sentence; the route sends them.
 */

export interface EmbeddingArchive {
  /** The download's file name: the sanitised model name and the version. */
  fileName: string;
  zip: Uint8Array;
  /** What the audit log names: the model as the registry spells it, and the version. */
  model: { id: string; name: string };
  version: number;
}

export class EmbeddingRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

/**
 * What a file name may hold of a model name: letters, digits, dots, dashes and underscores (the
 * registry's own rule, kept here too so a header never carries anything else), no leading dot.
 */
export function safeFileStem(name: string): string {
  const kept = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return kept === '' ? 'model' : kept.slice(0, 100);
}

/** The path's model name and version number, or the 400 that says which is wrong. */
export function embeddingTarget(params: { name: string; n: string }): { name: string; version: number } {
  const name = modelNameSchema.safeParse(params.name);
  if (!name.success)
    throw new EmbeddingRequestError(`name: ${name.error.issues[0]?.message ?? 'not a model name'}.`, 400);
  if (!/^[1-9]\d{0,9}$/.test(params.n))
    throw new EmbeddingRequestError('The version in the path must be a whole number from 1.', 400);
  return { name: name.data, version: Number(params.n) };
}

/** reference.json's rows when the file is there and well formed; the README falls back to typical values. */
async function referenceSample(sql: Sql, versionId: string): Promise<ReferenceSample | undefined> {
  const file = await readModelFile(sql, versionId, REFERENCE_FILE);
  if (!file) return undefined;
  try {
    const parsed = referenceSampleSchema.safeParse(JSON.parse(file.content.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function embeddingArchive(
  sql: Sql,
  target: { name: string; version: number },
): Promise<EmbeddingArchive> {
  const model = await findModelByName(sql, target.name);
  if (!model) throw new EmbeddingRequestError(`There is no model named ${target.name}.`, 404);
  const row = await findModelVersion(sql, model.id, target.version);
  if (!row) throw new EmbeddingRequestError(`${model.name} has no version ${target.version}.`, 404);
  const signature = modelSignatureSchema.safeParse(row.signature);
  if (!signature.success)
    throw new EmbeddingRequestError(
      `Version ${row.version} of ${model.name} has no input signature the README could describe.`,
      409,
    );
  const onnx = await readModelFile(sql, row.id, MODEL_FILE);
  if (!onnx)
    throw new EmbeddingRequestError(`Version ${row.version} of ${model.name} has no ONNX file.`, 409);
  const reference = versionReferenceSchema.safeParse(row.reference);
  const readme = embeddingReadme({
    name: model.name,
    version: row.version,
    algorithm: row.algorithm,
    onnxSha256: row.onnxSha256,
    signature: signature.data,
    sample: await referenceSample(sql, row.id),
    reference: reference.success ? reference.data : undefined,
  });
  const folder = `${safeFileStem(model.name)}-v${row.version}`;
  // The version's time on both entries: the same version always downloads as the same bytes.
  const created = new Date(row.createdAt);
  const options = Number.isNaN(created.getTime()) ? {} : { mtime: created };
  const zip = zipSync({
    [folder]: {
      [MODEL_FILE]: [new Uint8Array(onnx.content), options],
      'README.md': [new TextEncoder().encode(readme), options],
    },
  });
  return {
    fileName: `${folder}-embedding.zip`,
    zip,
    model: { id: model.id, name: model.name },
    version: row.version,
  };
}

/**
 * The archive as a download, or the refusal as `{ error }` with its status. A download is recorded
 * in the audit log (model.downloaded): the file is the model itself, and who took a copy matters.
 */
export async function embeddingArchiveResponse(
  call: AuditedCall & { services: { sql: Sql } },
  params: { name: string; n: string },
): Promise<Response> {
  let archive: EmbeddingArchive;
  try {
    archive = await embeddingArchive(call.services.sql, embeddingTarget(params));
  } catch (error) {
    if (error instanceof EmbeddingRequestError)
      return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
  await recordAction(call, {
    action: 'model.downloaded',
    objectType: 'model',
    objectId: archive.model.id,
    objectLabel: archive.model.name,
    details: { version: archive.version, file: archive.fileName },
  });
  return new Response(Buffer.from(archive.zip), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${archive.fileName}"`,
      'content-length': String(archive.zip.byteLength),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
