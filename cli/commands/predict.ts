import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type Env, serveUrl } from '../../config/env';
import { modelNameSchema } from '../../registry/version-schema';
import type { Output } from '../output';
import { CliError } from '../session';
import { checkedAlias } from './models';

/**
 * `pipewright predict NAME --file rows.json [--alias A | --version N]`: sends the file, as it is,
 * to the serving process (any body the endpoint takes: {"rows": […]} or MLflow's /invocations
 * bodies) with the API key, and prints the answer as JSON.
 */

export interface PredictOptions {
  file?: string;
  alias?: string;
  version?: string;
}

/** How long one prediction may take before the CLI gives up on serving. */
const REQUEST_TIMEOUT_MS = 30_000;

const errorAnswer = z.object({ error: z.string() });

/** The endpoint for the model and the version asked for (production unless told otherwise). */
export function predictUrl(base: URL, name: string, options: Pick<PredictOptions, 'alias' | 'version'>): URL {
  if (!modelNameSchema.safeParse(name).success) throw new CliError(`"${name}" is not a model name`);
  if (options.alias !== undefined && options.version !== undefined)
    throw new CliError('Give --alias or --version, not both');
  // PIPEWRIGHT_SERVE_URL may carry a path prefix (a reverse proxy's): the API path goes below it.
  const prefix = `${base.pathname.replace(/\/$/, '')}/api/v1/models/${encodeURIComponent(name)}`;
  if (options.version !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(options.version))
      throw new CliError(`--version must be a version number (not "${options.version}")`);
    return new URL(`${prefix}/versions/${options.version}/predict`, base);
  }
  const url = new URL(`${prefix}/predict`, base);
  const alias = checkedAlias(options.alias);
  if (alias !== undefined) url.searchParams.set('alias', alias);
  return url;
}

/** The file's text, checked to be JSON here so a typo gets a local sentence, not a server's. */
async function readBody(file: string | undefined): Promise<string> {
  if (file === undefined)
    throw new CliError('predict needs --file with the rows as JSON, e.g. {"rows": [{…}]}');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new CliError(
      code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read${code ? ` (${code})` : ''}`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return text;
}

function unreachable(base: URL, error: unknown): CliError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason =
    cause instanceof Error && 'code' in cause
      ? String(cause.code)
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return new CliError(
    `The serving process at ${base.origin} does not answer (${reason}): start Pipewright with \`npm start\`, or set PIPEWRIGHT_SERVE_URL.`,
  );
}

export async function predictCommand(
  name: string,
  options: PredictOptions,
  env: Env,
  out: Output,
): Promise<number> {
  const key = env.PIPEWRIGHT_API_KEY;
  if (key === undefined || key.trim() === '')
    throw new CliError(
      'PIPEWRIGHT_API_KEY is not set: create a key with the predict scope (API keys page, or `pipewright keys create --scope predict`) and set it.',
    );
  const base = serveUrl(env);
  const url = predictUrl(base, name, options);
  const body = await readBody(options.file);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(base, error);
  }
  // The answer's body can time out or break off too: the same sentence as no answer at all.
  const text = await response.text().catch((error: unknown) => {
    throw unreachable(base, error);
  });
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (!response.ok) {
    const said = errorAnswer.safeParse(answer).data?.error;
    out.progress(`pipewright: serving answered ${response.status}: ${said ?? response.statusText}`);
    return 1;
  }
  if (answer === undefined)
    throw new CliError(`The serving process at ${base.origin} answered with something that is not JSON`);
  // MLflow-style answers carry the version and request id only in headers: say them on stderr.
  const version = response.headers.get('x-model-version');
  const requestId = response.headers.get('x-request-id');
  if (version || requestId)
    out.progress(`${name}${version ? ` v${version}` : ''}${requestId ? `, request ${requestId}` : ''}`);
  out.print(JSON.stringify(answer, null, 2));
  return 0;
}
