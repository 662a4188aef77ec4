import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { artifacts } from '../db/schema';
import type { RunningApp } from '../runtime/launcher/web-app';
import { accountsAuth, type SignedIn, signedInAs } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { startWebApp } from './support/web-app';

// The production app over real HTTP: the proxy, next.config's headers and the tRPC adapter only
// exist there (createCaller skips all three).

const MiB = 1024 * 1024;
const PUBLIC_HOST = 'pipewright.test:8080';
const fixture = setUpDatabaseAndWorker();
let app: RunningApp;
/** Every request below is an admin's unless it says `anonymous`: the checks here are not about roles. */
let admin: SignedIn;

beforeAll(async () => {
  // startWebApp passes this process's environment on to the app.
  process.env.PIPEWRIGHT_PUBLIC_URL = `http://${PUBLIC_HOST}`;
  process.env.PIPEWRIGHT_UPLOAD_QUOTA_BYTES = String(12 * MiB);
  app = await startWebApp(fixture);
  admin = await signedInAs(accountsAuth(fixture.database.db), 'admin');
}, 900_000);

afterAll(async () => {
  await app?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function send(
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; anonymous?: boolean } = {},
): Promise<Answer> {
  const headers = options.anonymous ? options.headers : { ...admin.headers, ...options.headers };
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(pathname, app.url), { method, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => parts.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(parts).toString(),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

function json(answer: Answer): unknown {
  return JSON.parse(answer.text);
}

const trpcErrorSchema = z.object({
  message: z.string(),
  code: z.number(),
  data: z.looseObject({
    code: z.string(),
    httpStatus: z.number(),
    errorId: z.string().optional(),
    stack: z.unknown().optional(),
    fieldErrors: z.unknown().optional(),
  }),
});
const errorEnvelope = z.object({ error: z.unknown() });

/** An error as the tRPC client reads it: decoded with superjson. */
function decodeError(envelope: z.infer<typeof errorEnvelope>) {
  return trpcErrorSchema.parse(superjson.parse(JSON.stringify(envelope.error)));
}

/** The error of a (non-batched) tRPC answer. */
function trpcError(answer: Answer) {
  return decodeError(errorEnvelope.parse(json(answer)));
}

const trpcResult = z.object({ result: z.object({ data: z.unknown() }) });

/** The data of a tRPC answer, decoded as the client decodes it (superjson) and checked by `schema`. */
function trpcData<T>(answer: Answer, schema: z.ZodType<T>): T {
  if (answer.status !== 200) throw new Error(`tRPC answered ${answer.status}: ${answer.text}`);
  const { data } = trpcResult.parse(json(answer)).result;
  return schema.parse(superjson.parse(JSON.stringify(data)));
}

function mutation(procedure: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send('POST', `/api/trpc/${procedure}`, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
}

function query(procedure: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  return send('GET', `/api/trpc/${procedure}?input=${encoded}`, { headers });
}

const sampleDoc = pipelineDoc(
  [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } }],
  [],
);

describe('Host and Origin checks', () => {
  it('answers the public host and loopback, and refuses any other Host (DNS rebinding), reads included', async () => {
    expect((await send('GET', '/api/health', { headers: { host: PUBLIC_HOST } })).status).not.toBe(403);
    expect((await send('GET', '/api/health')).status).not.toBe(403);
    const rebound = await send('GET', '/api/health', { headers: { host: 'attacker.example:3000' } });
    expect(rebound.status).toBe(403);
    expect(json(rebound)).toEqual({
      error: `This server answers at ${PUBLIC_HOST}, not at attacker.example:3000. If users reach it at another address, set PIPEWRIGHT_PUBLIC_URL to that address.`,
    });
    const listed = await query('pipelines.list', {}, { host: 'attacker.example:3000' });
    expect(listed.status).toBe(403);
    const page = await send('GET', '/', { headers: { host: 'attacker.example' } });
    expect(page.status).toBe(403);
  });

  it('refuses cross-site state-changing requests, such as a text/plain POST, and accepts our own pages', async () => {
    const foreign = { origin: 'https://attacker.example', 'content-type': 'text/plain' };
    const upload = await send('POST', '/api/uploads?name=evil.csv', { headers: foreign, body: 'a\n1\n' });
    expect(upload.status).toBe(403);
    expect(json(upload)).toEqual({
      error: `Requests that change something are only accepted from Pipewright's own pages (http://${PUBLIC_HOST}), not from https://attacker.example.`,
    });
    const created = await mutation(
      'pipelines.create',
      { name: 'Evil' },
      { origin: 'https://attacker.example' },
    );
    expect(created.status).toBe(403);
    const bySite = await mutation('pipelines.create', { name: 'Evil' }, { 'sec-fetch-site': 'cross-site' });
    expect(bySite.status).toBe(403);

    const fromPublicPage = await mutation(
      'pipelines.create',
      { name: 'From the public address' },
      { host: PUBLIC_HOST, origin: `http://${PUBLIC_HOST}` },
    );
    expect(trpcData(fromPublicPage, z.object({ version: z.number() })).version).toBe(1);
    const fromLoopbackPage = await mutation(
      'pipelines.create',
      { name: 'From loopback' },
      { origin: app.url },
    );
    expect(fromLoopbackPage.status).toBe(200);
    // The CLI and scripts send neither Origin nor Sec-Fetch-Site.
    expect((await mutation('pipelines.create', { name: 'From the CLI' })).status).toBe(200);
  });
});

describe('without a session', () => {
  it('sends pages to sign-in, and answers tRPC and routes with 401 and a sentence', async () => {
    const page = await send('GET', '/pipelines/00000000-0000-4000-8000-000000000000', { anonymous: true });
    expect(page.status).toBe(307);
    expect(page.headers.location).toBe(
      `/sign-in?next=${encodeURIComponent('/pipelines/00000000-0000-4000-8000-000000000000')}`,
    );
    expect((await send('GET', '/sign-in', { anonymous: true })).status).toBe(200);
    const listed = await send('GET', `/api/trpc/pipelines.list?input=${encodeURIComponent('{"json":{}}')}`, {
      anonymous: true,
    });
    expect([listed.status, trpcError(listed).message]).toEqual([
      401,
      'Sign in (or send an API key as "Authorization: Bearer …") to read pipelines, runs and models.',
    ]);
    const upload = await send('POST', '/api/uploads?name=a.csv', { anonymous: true, body: 'a\n1\n' });
    expect([upload.status, json(upload)]).toEqual([
      401,
      {
        error:
          'Sign in (or send an API key as "Authorization: Bearer …") to create, edit or import pipelines.',
      },
    ]);
    expect((await send('GET', '/api/health', { anonymous: true })).status).not.toBe(401);
  });
});

describe('security headers', () => {
  it('go with pages, API answers, uploads and refusals alike', async () => {
    const answers = [
      await send('GET', '/'),
      await send('GET', '/api/health'),
      await query('pipelines.list', {}),
      await send('POST', '/api/uploads', { body: 'x' }),
      await send('GET', '/api/health', { headers: { host: 'attacker.example' } }),
      await send('GET', '/no-such-page'),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['content-security-policy']).toContain("object-src 'none'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('same-origin');
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, expect.any(Number), 200, 400, 403, 404]);
  });
});

describe('/pipelines', () => {
  it('redirects to the list of pipelines', async () => {
    const answer = await send('GET', '/pipelines');
    expect(answer.status).toBe(307);
    expect(answer.headers.location).toBe('/');
  });
});

describe('upload route', () => {
  const post = (name: string | undefined, body: string | Buffer) =>
    send('POST', name === undefined ? '/api/uploads' : `/api/uploads?name=${encodeURIComponent(name)}`, {
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });

  it('answers 201, 400, 413 and 507 with a message, and keeps a 12 MB quota', async () => {
    rmSync(path.join(fixture.worker.dataDir, 'uploads'), { recursive: true, force: true });
    const noName = await post(undefined, 'a\n1\n');
    expect([noName.status, json(noName)]).toEqual([400, { error: 'The upload needs a file name' }]);
    const empty = await post('empty.csv', '');
    expect([empty.status, json(empty)]).toEqual([400, { error: 'empty.csv is empty' }]);

    // 11 MB passes whole: the proxy, which would cut a body at 10 MB, skips this route.
    const big = await post(`${'数'.repeat(100)}.csv`, Buffer.alloc(11 * MiB, 'a'));
    expect(big.status).toBe(201);
    expect(json(big)).toEqual({
      file: expect.stringMatching(new RegExp(`^uploads/[0-9a-f-]{36}/${'数'.repeat(65)}\\.csv$`)),
      bytes: 11 * MiB,
    });

    const tooBig = await post('more.csv', Buffer.alloc(2 * MiB, 'b'));
    expect([tooBig.status, json(tooBig)]).toEqual([
      413,
      {
        error:
          'more.csv does not fit in what is left of the upload quota of 12 MB (PIPEWRIGHT_UPLOAD_QUOTA_BYTES): 1 MB free',
      },
    ]);
    expect((await post('last.csv', Buffer.alloc(MiB, 'c'))).status).toBe(201);
    const full = await post('one-more.csv', 'x');
    expect(full.status).toBe(507);
    expect(json(full)).toEqual({
      error:
        'Uploads already take 12 MB, all of the upload quota of 12 MB (PIPEWRIGHT_UPLOAD_QUOTA_BYTES): delete files under DATA_DIR/uploads or raise the quota',
    });
  });
});

describe('tRPC errors over HTTP', () => {
  it('refuses NUL in a name, a search term and a node label with 400, naming where it is', async () => {
    const named = await mutation('pipelines.create', { name: 'a\0b' });
    expect(named.status).toBe(400);
    expect(trpcError(named)).toMatchObject({
      message: 'name contains a NUL character (\\0), which Pipewright does not accept in text',
      data: { code: 'BAD_REQUEST', httpStatus: 400 },
    });
    const searched = await query('pipelines.list', { search: '\0' });
    expect([searched.status, trpcError(searched).message]).toEqual([
      400,
      'search contains a NUL character (\\0), which Pipewright does not accept in text',
    ]);
    const labelled = pipelineDoc([{ id: 'a', type: 'ingest', label: 'bad\0label' }], []);
    const saved = await mutation('pipelines.create', { name: 'Labelled', document: labelled });
    expect([saved.status, trpcError(saved).message]).toEqual([
      400,
      'document.nodes.0.label contains a NUL character (\\0), which Pipewright does not accept in text',
    ]);
  });

  it('shows field errors for bad input, never a stack', async () => {
    const answer = await mutation('pipelines.create', { name: '' });
    expect(answer.status).toBe(400);
    const error = trpcError(answer);
    expect(error.data).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { name: ['A pipeline needs a name'] },
    });
    expect(error.data.stack).toBeUndefined();
    expect(error.data.errorId).toBeUndefined();
  });

  it('refuses a batch of more than 20 calls and a body over 8 MB with 413', async () => {
    const paths = Array.from({ length: 21 }, () => 'pipelines.list').join(',');
    const inputs = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: 21 }, (_, index) => [index, { json: {} }]))),
    );
    const batch = await send('GET', `/api/trpc/${paths}?batch=1&input=${inputs}`);
    expect(batch.status).toBe(413);
    const errors = z.array(errorEnvelope).parse(json(batch)).map(decodeError);
    expect(errors).toHaveLength(21);
    expect(errors[0]?.message).toBe('A batch may hold at most 20 calls; this one holds 21');

    const twenty = Array.from({ length: 20 }, () => 'pipelines.list').join(',');
    const twentyInputs = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, index) => [index, { json: {} }]))),
    );
    expect((await send('GET', `/api/trpc/${twenty}?batch=1&input=${twentyInputs}`)).status).toBe(200);

    const huge = await mutation('pipelines.create', { name: 'Huge', description: 'x'.repeat(9 * MiB) });
    expect(huge.status).toBe(413);
    expect(trpcError(huge).message).toBe('The request is larger than 8 MB, the most one call may send');

    // Sent in chunks, with no Content-Length to refuse it by: cut off once it passes the limit.
    const chunked = await send('POST', '/api/trpc/pipelines.create', {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify(superjson.serialize({ name: 'Huge', description: 'x'.repeat(9 * MiB) })),
    });
    expect([chunked.status, trpcError(chunked).message]).toEqual([
      413,
      'The request is larger than 8 MB, the most one call may send',
    ]);
  });
});

describe('runs and previews', () => {
  it('runs.get names no server path, previews read only DATA_DIR/artifacts, and a 500 carries a logged id', async () => {
    const created = trpcData(
      await mutation('pipelines.create', { name: 'Sample', document: sampleDoc }),
      z.object({ id: z.string() }),
    );
    const started = await mutation('runs.start', { pipelineId: created.id });
    const { runId } = trpcData(started, z.object({ runId: z.string() }));
    await expect
      .poll(
        async () =>
          trpcData(await query('runs.get', { runId }), z.looseObject({ status: z.string() })).status,
        {
          timeout: 60_000,
        },
      )
      .toBe('succeeded');
    const answer = await query('runs.get', { runId });
    expect(answer.text).not.toContain(fixture.worker.dataDir);
    expect(answer.text).not.toContain('file://');
    const detail = trpcData(
      answer,
      z.object({
        artifacts: z.array(z.record(z.string(), z.unknown())),
        steps: z.array(z.record(z.string(), z.unknown())),
      }),
    );
    expect(detail.artifacts).toHaveLength(1);
    expect(detail.artifacts[0]?.file).toMatch(/^artifacts\/.+\.parquet$/);
    expect(detail.artifacts[0]).not.toHaveProperty('uri');
    expect(detail.steps[0]).not.toHaveProperty('outputs');

    // A dataset row naming the app's own log: refused, not shown.
    const [stored] = await fixture.database.db.select().from(artifacts).where(eq(artifacts.runId, runId));
    if (!stored) throw new Error('the run stored no artifact');
    const { id: _id, createdAt: _createdAt, ...row } = stored;
    const rowAt = async (file: string) => {
      const [inserted] = await fixture.database.db
        .insert(artifacts)
        .values({ ...row, uri: pathToFileURL(file).href })
        .returning({ id: artifacts.id });
      if (!inserted) throw new Error('no artifact row inserted');
      return inserted.id;
    };
    const appLog = path.join(fixture.worker.dataDir, 'logs', 'app.log');
    const leaked = await query('datasets.preview', { artifactId: await rowAt(appLog) });
    expect([leaked.status, trpcError(leaked).message]).toEqual([
      403,
      "This artifact's file lies outside the artifact folder, so it is not read",
    ]);

    // A file inside the folder that is not Parquet: an unexpected failure, answered generically.
    const corrupt = path.join(fixture.worker.dataDir, 'artifacts', 'corrupt', 'data.parquet');
    mkdirSync(path.dirname(corrupt), { recursive: true });
    writeFileSync(corrupt, 'this is not a parquet file');
    const failed = await query('datasets.preview', { artifactId: await rowAt(corrupt) });
    expect(failed.status).toBe(500);
    const error = trpcError(failed);
    const errorId = error.data.errorId ?? '';
    expect(errorId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(error.message).toBe(
      `Something went wrong on the server (error id ${errorId}). The server log has the details under this id.`,
    );
    expect(error.data.stack).toBeUndefined();
    expect(failed.text).not.toContain(corrupt);
    await expect
      .poll(() =>
        readFileSync(appLog, 'utf8')
          .split('\n')
          .find((line) => line.includes(`[error ${errorId}]`)),
      )
      .toMatch(new RegExp(`^\\[error ${errorId}\\] tRPC datasets\\.preview: \\w*Error: .+`));
  });
});

describe('export route', () => {
  it('takes only a real uuid', async () => {
    const dashes = await send('GET', `/api/pipelines/${'-'.repeat(36)}/export`);
    expect([dashes.status, json(dashes)]).toEqual([400, { error: `Not a pipeline id: "${'-'.repeat(36)}"` }]);
    const missing = await send('GET', '/api/pipelines/00000000-0000-4000-8000-000000000000/export');
    expect([missing.status, json(missing)]).toEqual([
      404,
      { error: 'No pipeline 00000000-0000-4000-8000-000000000000' },
    ]);
  });
});
