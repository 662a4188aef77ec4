import { z } from 'zod';
import { ModelImportError } from '../../ml/onnx-import/import-error';
import { modelAliasSchema } from '../../registry/version-schema';
import {
  type ImportActor,
  importModel,
  MAX_IMPORT_BYTES,
  receiveUpload,
} from '../../runtime/models/model-import';
import { MAX_SAMPLE_BYTES } from '../../runtime/models/sample-csv';
import { importIdSchema } from '../../workflows/model-import/import-files';
import type { Actor } from './auth/actor';
import { auditActor } from './auth/audit-actor';
import type { SignedInCaller } from './auth/route-guard';
import type { Services } from './services';

/**
 * The two steps of importing a model, behind the routes: the upload (kept and described) and the
 * import (checked on the worker and registered). runtime/models/model-import.ts does the work.
 */

function importActor(actor: Actor, ipAddress: string | null): ImportActor {
  return {
    userId: actor.userId,
    name: actor.email,
    role: actor.role,
    ledger: { actorKind: actor.kind, actorId: actor.userId, actorEmail: actor.email },
    audit: auditActor(actor, ipAddress),
  };
}

/** The body, read up to the limit: a larger one is refused once it passes it, not after. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

const tooLarge = `The file is larger than the ${MAX_IMPORT_BYTES / 1024 ** 2} MB limit`;

/** POST /api/uploads/model?name=model.onnx: the ONNX file as the raw body. */
export async function uploadModelResponse(request: Request, services: Services, caller: SignedInCaller) {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES)
    return Response.json({ error: tooLarge }, { status: 413 });
  if (!request.body)
    return Response.json({ error: 'The upload has no body: send the ONNX file' }, { status: 400 });
  const bytes = await readLimited(request.body, MAX_IMPORT_BYTES);
  if (!bytes) return Response.json({ error: tooLarge }, { status: 413 });
  const fileName = new URL(request.url).searchParams.get('name') ?? 'model.onnx';
  try {
    const upload = await receiveUpload(services.dataDir, { fileName, bytes, userId: caller.actor.userId });
    return Response.json(upload, { status: 201 });
  } catch (error) {
    if (error instanceof ModelImportError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}

const importBodySchema = z.object({
  name: z.string({ error: 'Give the model a name (name)' }),
  columns: z.array(z.string()).max(10_000).optional(),
  labels: z.array(z.string()).max(10_000).optional(),
  sample: z
    .string()
    .max(MAX_SAMPLE_BYTES, `The sample CSV is larger than ${MAX_SAMPLE_BYTES / 1024 ** 2} MB`)
    .optional(),
  setAlias: z.union([modelAliasSchema, z.literal('none')]).optional(),
});
export type ImportBody = z.infer<typeof importBodySchema>;

/** POST /api/model-imports/:id with { name, columns?, labels?, sample?, setAlias? } as JSON. */
export async function importModelResponse(
  request: Request,
  services: Services,
  caller: SignedInCaller,
  id: string,
) {
  const importId = importIdSchema.safeParse(id);
  if (!importId.success)
    return Response.json({ error: 'The import id is the UUID the upload answered with' }, { status: 400 });
  const json: unknown = await request.json().catch(() => undefined);
  const body = importBodySchema.safeParse(json);
  if (!body.success) {
    const issue = body.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    return Response.json(
      { error: json === undefined ? 'The body is not JSON' : `${field}: ${issue?.message ?? 'not valid'}` },
      { status: 400 },
    );
  }
  try {
    const outcome = await importModel(
      {
        sql: services.sql,
        db: services.db,
        temporal: services.temporal,
        taskQueue: services.taskQueue,
        dataDir: services.dataDir,
      },
      { importId: importId.data, ...body.data },
      importActor(caller.actor, caller.ipAddress),
    );
    return Response.json(outcome, { status: 201 });
  } catch (error) {
    if (error instanceof ModelImportError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}
