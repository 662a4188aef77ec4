import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { scopeMay } from '../access/roles';
import { errorHeadline } from '../db/queries/loggable-error';
import { predictBatched } from './batching';
import { inCanary } from './canary';
import type {
  Caller,
  FeedbackStore,
  KeyChecker,
  PredictionRecord,
  PredictionRecorder,
  ServingMetrics,
} from './contracts';
import { isDatabaseUnavailable } from './database-unavailable';
import { receiveFeedback } from './feedback';
import { feedbackProblemsSentence, readFeedbackBody } from './feedback-body';
import { UNAUTHORISED_MODEL, UNKNOWN_MODEL } from './metrics';
import type { Described, Identified, Lease, Resolution, RolloutPlan, VersionSelector } from './model-cache';
import { modelOpenApi } from './openapi';
import type { Prediction } from './predict';
import { type RequestFormat, readRequestRows } from './request-rows';
import { type Route, routeOf } from './routes';
import type { ShadowScorer } from './shadow-scorer';
import { problemsSentence, validateRows } from './validate-rows';

/**
 * The serving process's HTTP server: plain node:http (no framework between the socket and the
 * model, for speed). Every answer is JSON; every error is {error: sentence}, never a stack.
 */

export interface ModelSource {
  resolve(name: string, selector: VersionSelector): Promise<Resolution>;
  /** A version's name, number and signature, without loading it. */
  describe(name: string, selector: VersionSelector): Promise<Described>;
  /** The model's id and registered name, without loading a version (feedback needs no session). */
  identify(name: string): Promise<Identified>;
  /** The registered spelling of a name this process has loaded, without asking PostgreSQL. */
  knownName(name: string): string | undefined;
  /** How production requests share with staging (shadow, canary), without an await. */
  rolloutOf(name: string): RolloutPlan;
}

export interface ServingDeps {
  keys: KeyChecker;
  log: PredictionRecorder;
  /** Where feedback labels are looked up and stored. */
  feedback: FeedbackStore;
  metrics: ServingMetrics;
  models: ModelSource;
  /** Scores copies of production requests with staging when a model's rollout is shadow. */
  shadow?: ShadowScorer;
  /** Where clients reach serving (PIPEWRIGHT_SERVE_URL): the OpenAPI documents' server. */
  serverUrl?: string;
  /** Bodies larger than this are refused with 413 (default 8 MiB). */
  maxBodyBytes?: number;
  /** Connection limits; SERVER_LIMITS by default. */
  limits?: Partial<ServerLimits>;
  /** Unexpected failures, one line each, without request data. */
  report?: (line: string) => void;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface ServerLimits {
  /** A request's headers must arrive within this (slow-header clients hold no socket for long). */
  headersMs: number;
  /** A whole request, body included, must arrive within this. */
  requestMs: number;
  /**
   * An idle keep-alive connection is closed after this. Longer than common clients' own idle
   * timeout (Node's and undici's 4 s), so they close first and never reuse a connection the server
   * is closing; below headersMs, as Node asks.
   */
  keepAliveMs: number;
  /** Open connections at most; more are refused at once (each holds a file descriptor and memory). */
  maxConnections: number;
}

export const SERVER_LIMITS: ServerLimits = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 8_000,
  maxConnections: 4_096,
};
/** MLflow-shaped answers list their prediction ids in a header up to this many rows. */
export const MAX_ID_HEADER_ROWS = 100;

/** A refusal: its status and sentence go to the client as they are, with any extra fields. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function createServingServer(deps: ServingDeps): http.Server {
  const handler = new Handler(deps);
  const limits = { ...SERVER_LIMITS, ...deps.limits };
  const server = http.createServer(
    {
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      // Node checks the two timeouts above on this interval (30 s by default, which would let a
      // slow client hold its socket three times longer than headersMs).
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersMs / 4))),
    },
    (request, response) => void handler.handle(request, response),
  );
  server.keepAliveTimeout = limits.keepAliveMs;
  server.maxConnections = limits.maxConnections;
  return server;
}

class Handler {
  private readonly maxBodyBytes: number;

  constructor(private readonly deps: ServingDeps) {
    this.maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const route = routeOf(request.method ?? 'GET', request.url ?? '/');
    try {
      switch (route.kind) {
        case 'health':
          return send(response, 200, { status: 'ok' });
        case 'metrics': {
          const { contentType, body } = await this.deps.metrics.render();
          response.writeHead(200, { 'content-type': contentType });
          response.end(body);
          return;
        }
        case 'openapi':
          return await this.openapi(request, response, route);
        case 'predict':
          return await this.predict(request, response, route);
        case 'feedback':
          return await this.feedback(request, response, route);
        case 'refused':
          if (route.status === 405) response.setHeader('allow', route.allow);
          return send(response, route.status, { error: route.message });
      }
    } catch (error) {
      if (error instanceof HttpError)
        return send(response, error.status, { error: error.message, ...error.extra });
      this.deps.report?.(`serving failed a request: ${errorHeadline(error)}`);
      if (!response.headersSent) send(response, 500, { error: 'The server failed to answer this request' });
      else response.destroy();
    }
  }

  private async authorize(
    request: http.IncomingMessage,
    name: string,
    allowed: (caller: Caller) => string | undefined,
  ): Promise<Caller> {
    const check = await this.deps.keys.check(request.headers.authorization, request.socket.remoteAddress);
    if (!check.ok) throw new HttpError(check.status, check.message);
    const refusal = allowed(check.caller) ?? modelRefusal(check.caller, name);
    if (refusal) throw new HttpError(403, refusal);
    this.deps.keys.used(check.caller);
    return check.caller;
  }

  private async openapi(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    route: Extract<Route, { kind: 'openapi' }>,
  ): Promise<void> {
    await this.authorize(request, route.name, (caller) =>
      caller.kind === 'key' && !scopeMay(caller.scope, 'read') && !scopeMay(caller.scope, 'predict')
        ? `A ${caller.scope} key may not read model documents; use a read or predict key`
        : undefined,
    );
    // From the version's row: a document needs no ONNX session.
    const described = await this.deps.models.describe(route.name, route.selector);
    if (!described.ok) throw new HttpError(described.status, described.message);
    send(
      response,
      200,
      modelOpenApi({
        name: described.name,
        version: described.version,
        signature: described.signature,
        serverUrl: this.deps.serverUrl,
      }),
      { 'x-model-version': String(described.version) },
    );
  }

  private async lease(name: string, selector: VersionSelector): Promise<Lease> {
    const resolution = await this.deps.models.resolve(name, selector);
    if (!resolution.ok) throw new HttpError(resolution.status, resolution.message);
    return resolution.lease;
  }

  /**
   * Staging's lease for a canary request; production's when staging has no version (or cannot be
   * loaded): a canary never turns a request production could answer into an error.
   */
  private async canaryLease(
    name: string,
    production: VersionSelector,
  ): Promise<{ lease: Lease; role: 'canary' | undefined }> {
    const staging = await this.deps.models.resolve(name, { alias: 'staging' });
    if (staging.ok) return { lease: staging.lease, role: 'canary' };
    return { lease: await this.lease(name, production), role: undefined };
  }

  private async predict(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    route: Extract<Route, { kind: 'predict' }>,
  ): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    response.setHeader('x-request-id', requestId);
    // /metrics needs no key: until the caller is authorised, every request is labelled alike, so
    // the labels do not tell an anonymous reader which model names exist.
    let model = UNAUTHORISED_MODEL;
    let version: number | null = null;
    let status = 500;
    try {
      await this.authorize(request, route.name, (caller) =>
        caller.kind === 'key' && !scopeMay(caller.scope, 'predict')
          ? `A ${caller.scope} key may not ask for predictions; use a predict key`
          : undefined,
      );
      model = this.deps.models.knownName(route.name) ?? UNKNOWN_MODEL;
      const body = await readJson(request, this.maxBodyBytes, 'rows');
      // Rollout applies to production requests only: a request naming staging or a version gets it.
      const plan: RolloutPlan | undefined =
        'alias' in route.selector && route.selector.alias === 'production'
          ? this.deps.models.rolloutOf(route.name)
          : undefined;
      const canary = plan?.mode === 'canary' && inCanary(request.headers['x-request-id'], plan.canaryPercent);
      const { lease, role } = canary
        ? await this.canaryLease(route.name, route.selector)
        : { lease: await this.lease(route.name, route.selector), role: undefined };
      try {
        const { served } = lease;
        model = served.name;
        version = served.version;
        response.setHeader('x-model-version', String(served.version));
        // Which alias answered, so a client (and a test) can tell a canary answer from production's.
        if (plan) response.setHeader('x-model-alias', role === 'canary' ? 'staging' : 'production');
        const parsed = readRequestRows(body, served.signature);
        if (!parsed.ok) throw new HttpError(400, parsed.message);
        const validated = validateRows(parsed.rows, served.signature);
        if (!validated.ok)
          throw new HttpError(400, problemsSentence(validated.problems, validated.more), {
            problems: validated.problems,
          });
        const predictions = await predictBatched(served, validated.columns, parsed.rows.length);
        const ids = predictions.map(() => randomUUID());
        writeAnswer(response, {
          format: parsed.format,
          served,
          requestId,
          predictions,
          ids,
          ignored: validated.ignoredColumns,
        });
        status = 200;
        const latencyMs = performance.now() - started;
        if (this.deps.log.enabled)
          this.deps.log.record(
            logRecords({ served, requestId, inputs: validated.inputs, predictions, ids, latencyMs, role }),
          );
        // After the answer is written: staging's copy never delays production's answer.
        if (plan?.mode === 'shadow')
          this.deps.shadow?.offer({
            name: route.name,
            requestId,
            rows: parsed.rows,
            productionIds: ids,
            productionVersion: served.version,
          });
      } finally {
        lease.release();
      }
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      throw error;
    } finally {
      this.deps.metrics.observe({ model, version, status, seconds: (performance.now() - started) / 1000 });
    }
  }

  /**
   * The true labels of earlier predictions, by prediction id. The same keys may send them as may ask
   * for predictions. Answers {model, accepted, unknown: [ids…], unknownCount}; a label that does
   * not fit its prediction's version refuses the whole request (400, by field), storing nothing.
   */
  private async feedback(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    route: Extract<Route, { kind: 'feedback' }>,
  ): Promise<void> {
    let model = UNAUTHORISED_MODEL;
    let status = 500;
    let counted = { accepted: 0, unknown: 0 };
    try {
      const caller = await this.authorize(request, route.name, (caller) =>
        caller.kind === 'key' && !scopeMay(caller.scope, 'predict')
          ? `A ${caller.scope} key may not send feedback; use a predict key`
          : undefined,
      );
      model = this.deps.models.knownName(route.name) ?? UNKNOWN_MODEL;
      const body = await readJson(request, this.maxBodyBytes, 'feedback');
      const identified = await this.deps.models.identify(route.name);
      if (!identified.ok) throw new HttpError(identified.status, identified.message);
      model = identified.name;
      const read = readFeedbackBody(body);
      if (!read.ok)
        throw new HttpError(400, feedbackProblemsSentence(read.problems, read.more), {
          problems: read.problems,
        });
      const outcome = await withDatabase(() =>
        receiveFeedback(this.deps.feedback, {
          modelId: identified.id,
          keyId: caller.kind === 'key' ? caller.keyId : null,
          items: read.items,
          fieldOf: read.fieldOf,
        }),
      );
      if (!outcome.ok)
        throw new HttpError(400, feedbackProblemsSentence(outcome.problems, outcome.more), {
          problems: outcome.problems,
        });
      const { accepted, unknown, unknownCount } = outcome;
      send(response, 200, { model: identified.name, accepted, unknown, unknownCount });
      status = 200;
      counted = { accepted, unknown: unknownCount };
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      throw error;
    } finally {
      this.deps.metrics.observeFeedback({ model, status, ...counted });
    }
  }
}

/** Runs a database step of a request; PostgreSQL being unreachable is a 503 the client may retry. */
async function withDatabase<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isDatabaseUnavailable(error))
      throw new HttpError(
        503,
        'The database is unavailable right now; nothing was stored. Try again shortly',
      );
    throw error;
  }
}

/**
 * A "rows" body gets Pipewright's answer (each prediction with its id); an MLflow body gets MLflow's
 * {"predictions": [label or value, …]}, the version and request id being in the headers.
 */
function writeAnswer(
  response: http.ServerResponse,
  answer: {
    format: RequestFormat;
    served: Lease['served'];
    requestId: string;
    predictions: readonly Prediction[];
    ids: readonly string[];
    ignored: readonly string[];
  },
): void {
  const { served, predictions, ids, ignored } = answer;
  if (answer.format === 'rows') {
    send(response, 200, {
      model: served.name,
      version: served.version,
      requestId: answer.requestId,
      predictions: predictions.map((prediction, index) => ({ id: ids[index], ...prediction })),
      ...(ignored.length > 0 ? { ignoredColumns: ignored } : {}),
    });
    return;
  }
  const values = predictions.map((prediction) =>
    'value' in prediction ? prediction.value : prediction.label,
  );
  const headers: Record<string, string> = {};
  // Column names may hold any character; a header may not.
  if (ignored.length > 0) headers['x-ignored-columns'] = ignored.map(encodeURIComponent).join(',');
  // MLflow's shape has no place for them; feedback refers to them. Large batches find them in the
  // prediction log under the request id instead of in an oversized header.
  if (ids.length <= MAX_ID_HEADER_ROWS) headers['x-prediction-ids'] = ids.join(',');
  send(response, 200, { predictions: values }, headers);
}

/** A key limited to some models may not reach the others; the refusal names the model. */
function modelRefusal(caller: Caller, name: string): string | undefined {
  if (caller.kind !== 'key' || !caller.models || caller.models.length === 0) return undefined;
  const wanted = name.toLowerCase();
  if (caller.models.some((model) => model.toLowerCase() === wanted)) return undefined;
  return `This key may not use the model "${name}"`;
}

function send(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(status === 413 ? { connection: 'close' } : {}),
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * The body as JSON, refusing one larger than `limit` (413) or not JSON (400) or of another type (415).
 * `what` the body carries (rows or feedback) is named in the refusals.
 */
async function readJson(
  request: http.IncomingMessage,
  limit: number,
  what: 'rows' | 'feedback',
): Promise<unknown> {
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type))
    throw new HttpError(415, `The body must be application/json, not ${type.slice(0, 60)}`);
  if (Number(request.headers['content-length']) > limit) throw tooLarge(request, limit, what);
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData);
      reject(tooLarge(request, limit, what));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', () => reject(new HttpError(400, 'The body was cut off')));
  });
  if (text.length === 0) throw new HttpError(400, `The body is empty; send the ${what} as JSON`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
}

function tooLarge(request: http.IncomingMessage, limit: number, what: 'rows' | 'feedback'): HttpError {
  // The rest of the body is discarded unread, so the client gets to read the answer; the
  // connection closes after it.
  request.resume();
  request.on('error', () => {});
  return new HttpError(
    413,
    `The body is larger than ${Math.round(limit / 1024)} KiB; send fewer ${what === 'rows' ? 'rows' : 'items'} per request`,
  );
}

function logRecords(input: {
  served: Lease['served'];
  requestId: string;
  /** Each row's values in signature order (validate-rows.ts). */
  inputs: readonly unknown[][];
  predictions: readonly Prediction[];
  ids: readonly (string | undefined)[];
  latencyMs: number;
  /** canary: staging answered; undefined: production. */
  role: 'canary' | undefined;
}): PredictionRecord[] {
  const at = new Date();
  return input.predictions.map((prediction, index) => ({
    predictionId: input.ids[index] ?? randomUUID(),
    requestId: input.requestId,
    modelId: input.served.modelId,
    version: input.served.version,
    at,
    latencyMs: input.latencyMs,
    inputs: input.inputs[index] ?? [],
    outputs: prediction,
    ...(input.role ? { role: input.role } : {}),
  }));
}
