import { z } from 'zod';
import type { Env } from '../config/env';
import { CliError } from './session';

/**
 * The CLI against a remote Pipewright: PIPEWRIGHT_URL and PIPEWRIGHT_API_KEY, spoken to over the
 * REST API (/api/v1, described by /api/v1/openapi.json) with `Authorization: Bearer`.
 */
export interface RemoteServer {
  url: URL;
  key: string;
}

/** The remote server the environment names, or undefined for the local services. */
export function remoteServer(env: Env): RemoteServer | undefined {
  if (env.PIPEWRIGHT_URL === undefined) return undefined;
  if (env.PIPEWRIGHT_API_KEY === undefined) {
    throw new CliError(
      `PIPEWRIGHT_URL is set (${env.PIPEWRIGHT_URL}) but PIPEWRIGHT_API_KEY is not: create a key on its API keys page and set PIPEWRIGHT_API_KEY.`,
    );
  }
  return { url: new URL(env.PIPEWRIGHT_URL), key: env.PIPEWRIGHT_API_KEY };
}

const errorAnswer = z.object({ error: z.string() });

/** How long one request may take before the CLI gives up on the server. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One REST call; a refusal or an unreachable server is a CliError with the server's sentence. */
export async function callRemote<T extends z.ZodType>(
  server: RemoteServer,
  method: 'GET' | 'POST',
  apiPath: string,
  answer: T,
  body?: unknown,
): Promise<z.output<T>> {
  // PIPEWRIGHT_URL may carry a path prefix (a reverse proxy's): the API path goes below it.
  const url = new URL(`${server.url.pathname.replace(/\/$/, '')}${apiPath}`, server.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${server.key}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new CliError(`${server.url.origin} does not answer: ${reason}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const said = errorAnswer.safeParse(json).data?.error;
    throw new CliError(`${server.url.origin} answered ${response.status}: ${said ?? response.statusText}`);
  }
  const parsed = answer.safeParse(json);
  if (!parsed.success) {
    throw new CliError(
      `${server.url.origin} answered ${method} ${apiPath} with something that is not Pipewright's answer`,
    );
  }
  return parsed.data;
}

/**
 * `--param name=value` flags for a remote run. The server has the pipeline's declarations, the CLI
 * does not: like `gh api -F`, a value that reads as a JSON number, true, false or null is sent as
 * such, anything else as text ('"42"' sends the text 42).
 */
export function remoteParameters(flags: string[]): Record<string, unknown> {
  const entries = flags.map((flag): [string, unknown] => {
    const separator = flag.indexOf('=');
    if (separator <= 0) throw new CliError(`--param ${flag}: expected name=value`);
    return [flag.slice(0, separator), typedText(flag.slice(separator + 1))];
  });
  // Object.fromEntries defines every key, `__proto__` included (the server then refuses it by name).
  return Object.fromEntries(entries);
}

function typedText(text: string): unknown {
  if (!/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|".*")$/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
