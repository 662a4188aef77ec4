import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { inject } from 'vitest';
import type { TestDatabase } from './database';
import { pipelineDoc } from './pipeline-doc';
import type { TestWorker } from './temporal';

/**
 * The app's REST routes in-process: its environment pointed at the test services, its route
 * modules found under app/api/v1 as Next finds them, and a plain HTTP server in front of them for
 * clients that need a URL (the CLI's remote mode).
 */

/** iris: split, train and evaluate, with production node types; the split's seed is a parameter. */
export const irisPipeline = pipelineDoc(
  [
    { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
    {
      id: 'split',
      type: 'split',
      config: { method: 'stratified', stratifyBy: 'target', testFraction: 0.3, seed: { $param: 'seed' } },
    },
    { id: 'train', type: 'train', config: { target: 'target' } },
    { id: 'evaluate', type: 'evaluate', config: {} },
  ],
  [
    'ingest.data->split.data',
    'split.data->train.data',
    'train.model->evaluate.model',
    'split.data->evaluate.data',
  ],
  [{ name: 'seed', type: 'number', default: 42, description: 'Split seed' }],
);

/**
 * The app reads its environment once, when its modules load: call this before importing them. A
 * worker gives the data folder and task queue; a serving process the URL the app forwards model
 * requests to (with the secret key both share).
 */
export function useAppEnvironment(
  database: TestDatabase,
  place: Pick<TestWorker, 'dataDir'> & Partial<Pick<TestWorker, 'taskQueue'>>,
  serving?: { url: string; secretKey: Buffer },
): void {
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    DATA_DIR: place.dataDir,
    PIPEWRIGHT_SECRET_KEY: (serving?.secretKey ?? randomBytes(32)).toString('base64'),
    ...(place.taskQueue ? { PIPEWRIGHT_TASK_QUEUE: place.taskQueue } : {}),
    ...(serving ? { PIPEWRIGHT_SERVE_URL: serving.url } : {}),
  });
  delete process.env.PIPEWRIGHT_PUBLIC_URL;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ApiRoute {
  /** As OpenAPI writes it: /api/v1/runs/{id}. */
  apiPath: string;
  pattern: RegExp;
  parameterNames: string[];
  handlers: Map<string, Handler & { permission?: unknown }>;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function isHandler(value: unknown): value is Handler {
  return typeof value === 'function';
}

/** Every route.ts under app/api/v1 with the methods it exports; "[id]" folders are parameters. */
export async function apiRoutes(): Promise<ApiRoute[]> {
  const root = path.resolve(import.meta.dirname, '../../app/api/v1');
  const routes: ApiRoute[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    if (path.basename(entry) !== 'route.ts') continue;
    const folders = path
      .dirname(entry)
      .split(path.sep)
      .filter((part) => part !== '.');
    const parameterNames = folders.flatMap((part) => /^\[(\w+)\]$/.exec(part)?.[1] ?? []);
    const apiPath = `/api/v1/${folders.map((part) => part.replace(/^\[(\w+)\]$/, '{$1}')).join('/')}`;
    const escaped = folders.map((part) =>
      /^\[\w+\]$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
    const module: Record<string, unknown> = await import(path.join(root, entry));
    const handlers = new Map<string, Handler>();
    for (const method of METHODS) {
      const handler = module[method];
      if (isHandler(handler)) handlers.set(method, handler);
    }
    routes.push({ apiPath, pattern: new RegExp(`^/api/v1/${escaped.join('/')}$`), parameterNames, handlers });
  }
  return routes;
}

/** An HTTP server that hands each request to the matching route handler, as Next would. */
export async function serveApiRoutes(routes: ApiRoute[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const method = incoming.method ?? 'GET';
      let response = Response.json({ error: 'Not found' }, { status: 404 });
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        const handler = route.handlers.get(method);
        if (!match || !handler) continue;
        const params = Object.fromEntries(
          route.parameterNames.map((name, index) => [name, match[index + 1] ?? '']),
        );
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value === 'string') headers.set(name, value);
        }
        const body = method === 'GET' ? undefined : Buffer.concat(chunks);
        response = await handler(new Request(url, { method, headers, body }), {
          params: Promise.resolve(params),
        });
        break;
      }
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the route server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
