import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Env } from '../../config/env';
import { ModelImportError } from '../../ml/onnx-import/import-error';
import { modelAliasSchema } from '../../registry/version-schema';
import {
  type ImportActor,
  type ImportOutcome,
  type ImportRequest,
  importModel,
  MAX_IMPORT_BYTES,
  receiveUpload,
} from '../../runtime/models/model-import';
import { cliAuditActor } from '../cli-audit';
import type { Output } from '../output';
import { type RemoteServer, remoteServer } from '../remote';
import { CliError, openSession } from '../session';

/**
 * `pipewright models import FILE --name MODEL [--columns a,b,c | --sample data.csv] [--labels x,y,z]
 * [--set-alias production|staging|none]`: imports an ONNX file trained elsewhere as the next version
 * of MODEL. Against the local services it runs the import itself (the worker checks the graph);
 * with PIPEWRIGHT_URL and PIPEWRIGHT_API_KEY it sends the file to that server's import routes.
 */

export interface ModelsImportOptions {
  name?: string;
  columns?: string;
  sample?: string;
  labels?: string;
  setAlias?: string;
}

const setAliasSchema = z.union([modelAliasSchema, z.literal('none')]);

/** "a, b ,c" → ['a', 'b', 'c']; undefined when the flag is absent. */
function list(flag: string | undefined): string[] | undefined {
  return flag === undefined ? undefined : flag.split(',').map((item) => item.trim());
}

async function readLocal(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new CliError(
      code === 'ENOENT'
        ? `${what} ${file} does not exist`
        : `${what} ${file} cannot be read${code ? ` (${code})` : ''}`,
    );
  }
}

export async function modelsImportCommand(
  file: string | undefined,
  options: ModelsImportOptions,
  env: Env,
  out: Output,
): Promise<number> {
  if (file === undefined)
    throw new CliError('models import needs the ONNX FILE: pipewright models import model.onnx --name MODEL');
  if (options.name === undefined)
    throw new CliError('models import needs --name MODEL: the registered model the version goes to');
  if (options.columns !== undefined && options.sample !== undefined)
    throw new CliError('Give --columns or --sample (whose header names the columns), not both');
  const setAlias = options.setAlias === undefined ? undefined : setAliasSchema.safeParse(options.setAlias);
  if (setAlias && !setAlias.success)
    throw new CliError(`--set-alias must be production, staging or none (not "${options.setAlias}")`);
  const bytes = await readLocal(file, 'The model file');
  if (bytes.byteLength > MAX_IMPORT_BYTES)
    throw new CliError(`${file} is larger than the ${MAX_IMPORT_BYTES / 1024 ** 2} MB limit`);
  const sample =
    options.sample === undefined
      ? undefined
      : (await readLocal(options.sample, 'The sample')).toString('utf8');
  const request: Omit<ImportRequest, 'importId'> = {
    name: options.name,
    columns: list(options.columns),
    labels: list(options.labels),
    sample,
    setAlias: setAlias?.data,
  };
  const remote = remoteServer(env);
  const outcome = remote
    ? await importRemotely(remote, path.basename(file), bytes, request)
    : await importLocally(env, path.basename(file), bytes, request, out);
  printOutcome(outcome, path.basename(file), out);
  return 0;
}

function cliImportActor(): ImportActor {
  const audit = cliAuditActor();
  const osUser = audit.details.osUser;
  return {
    userId: null,
    name: `the local CLI (${osUser ?? 'unknown user'})`,
    // The local CLI acts with the database's own authority, as promote does.
    role: 'admin',
    ledger: { actorKind: 'cli', actorId: osUser, actorEmail: null },
    audit,
  };
}

async function importLocally(
  env: Env,
  fileName: string,
  bytes: Buffer,
  request: Omit<ImportRequest, 'importId'>,
  out: Output,
): Promise<ImportOutcome> {
  const session = await openSession(env, { startIfMissing: false, log: out.progress });
  try {
    const upload = await receiveUpload(session.dataDir, {
      fileName,
      bytes: new Uint8Array(bytes),
      userId: null,
    });
    out.progress(`Checking ${fileName} on the worker…`);
    return await importModel(
      {
        sql: session.database.sql,
        db: session.database.db,
        temporal: async () => session.temporal,
        taskQueue: session.taskQueue,
        dataDir: session.dataDir,
      },
      { importId: upload.importId, ...request },
      cliImportActor(),
    );
  } catch (error) {
    throw error instanceof ModelImportError ? new CliError(error.message) : error;
  } finally {
    await session.close();
  }
}

const outcomeSchema = z.object({
  model: z.string(),
  version: z.number(),
  task: z.enum(['classification', 'regression']),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['number', 'boolean', 'string']),
      unknownCategories: z.enum(['accept', 'reject']),
      nullable: z.boolean(),
    }),
  ),
  labels: z.array(z.union([z.string(), z.number()])),
  alias: modelAliasSchema.nullable(),
  aliasReason: z.string().nullable(),
  awaitingApproval: z.boolean(),
  sampleRows: z.number(),
  monitored: z.boolean(),
});
const errorAnswer = z.object({ error: z.string() });

/** How long an import may take on the server (the worker loads and runs the graph). */
const IMPORT_TIMEOUT_MS = 300_000;

async function remoteCall(
  server: RemoteServer,
  apiPath: string,
  body: BodyInit,
  type: string,
): Promise<unknown> {
  const url = new URL(`${server.url.pathname.replace(/\/$/, '')}${apiPath}`, server.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, accept: 'application/json', 'content-type': type },
      body,
      signal: AbortSignal.timeout(IMPORT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(
      `${server.url.origin} does not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok)
    throw new CliError(
      `${server.url.origin} answered ${response.status}: ${errorAnswer.safeParse(json).data?.error ?? response.statusText}`,
    );
  return json;
}

async function importRemotely(
  server: RemoteServer,
  fileName: string,
  bytes: Buffer,
  request: Omit<ImportRequest, 'importId'>,
): Promise<ImportOutcome> {
  const uploaded = z
    .object({ importId: z.uuid() })
    .safeParse(
      await remoteCall(
        server,
        `/api/uploads/model?name=${encodeURIComponent(fileName)}`,
        new Uint8Array(bytes),
        'application/octet-stream',
      ),
    );
  if (!uploaded.success)
    throw new CliError(
      `${server.url.origin} answered the upload with something that is not Pipewright's answer`,
    );
  const outcome = outcomeSchema.safeParse(
    await remoteCall(
      server,
      `/api/model-imports/${uploaded.data.importId}`,
      JSON.stringify(request),
      'application/json',
    ),
  );
  if (!outcome.success)
    throw new CliError(
      `${server.url.origin} answered the import with something that is not Pipewright's answer`,
    );
  return outcome.data;
}

function printOutcome(outcome: ImportOutcome, fileName: string, out: Output): void {
  if (out.json) {
    out.print(JSON.stringify(outcome, null, 2));
    return;
  }
  const what =
    outcome.task === 'classification' ? `classification: ${outcome.labels.join(', ')}` : 'regression';
  out.print(`Imported ${fileName} as ${outcome.model} v${outcome.version} (${what})`);
  out.print(`  columns: ${outcome.columns.map((column) => `${column.name} (${column.type})`).join(', ')}`);
  out.print(
    outcome.sampleRows > 0
      ? `  checked on ${outcome.sampleRows} sample rows; drift monitoring compares with them`
      : '  checked on one row of zeros; drift monitoring needs a sample: import again with --sample data.csv',
  );
  out.print(
    outcome.awaitingApproval
      ? `  production awaits approval: another operator decides (pipewright models pending ${outcome.model})`
      : outcome.alias
        ? `  ${outcome.alias} is now v${outcome.version}: ${outcome.aliasReason ?? ''}`
        : '  no alias set: promote it with pipewright models promote',
  );
}
