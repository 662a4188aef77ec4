import type { KeyScope } from '../access/roles';
import type { ModelOutput } from '../registry/version-schema';

/**
 * The seams between the serving process's parts, so each is built and tested on its own:
 * the HTTP server (server.ts) takes a KeyChecker, a PredictionRecorder, a FeedbackStore and
 * ServingMetrics.
 */

/** Who a request acts for, once its bearer credential checks out. */
export type Caller =
  | { kind: 'key'; keyId: string; ownerId: string; scope: KeyScope; models?: readonly string[] }
  /** The app's Try it form: a short-lived internal credential (config/serving-credential.ts). */
  | { kind: 'internal'; userId: string };

export type KeyCheck =
  | { ok: true; caller: Caller }
  /** 401: no, malformed, unknown, revoked or expired credential; the message says which, never echoing it. */
  | { ok: false; status: 401; message: string }
  /**
   * 503: the credential could not be checked: it is not cached and PostgreSQL is unavailable, or too
   * many unknown keys are being looked up at once. Not the caller's fault; retrying later may work.
   */
  | { ok: false; status: 503; message: string };

export interface KeyChecker {
  /**
   * Checks an Authorization header's bearer token. A cached answer needs no database call; a miss
   * asks PostgreSQL once and caches. While PostgreSQL is down, cached keys keep working. `client`
   * (the caller's address) gives each client a fair share of the lookups of uncached keys.
   */
  check(authorization: string | undefined, client?: string): Promise<KeyCheck>;
  /** Notes a key's use; last-used times are written in batches. */
  used(caller: Caller): void;
  close(): Promise<void>;
}

/** One prediction as the log keeps it (db prediction_log). */
export interface PredictionRecord {
  predictionId: string;
  requestId: string;
  modelId: string;
  version: number;
  at: Date;
  latencyMs: number;
  /**
   * The row's values in the order of the version's signature inputs (the signature names them):
   * an array encodes several times faster than an object keyed by column, and every prediction is
   * logged. A column the row lacked is null.
   */
  inputs: readonly unknown[];
  outputs: Record<string, unknown>;
  /**
   * Which answer this is (db prediction_log.role): production's (the default), staging's as a
   * canary (returned), or staging's shadow answer (logged, never returned).
   */
  role?: 'canary' | 'shadow';
  /** A shadow answer: the prediction id of production's answer to the same row. */
  shadowOf?: string;
}

export interface PredictionRecorder {
  /** False when predictions are not logged (PIPEWRIGHT_PREDICTION_LOG=off): no records need building. */
  readonly enabled: boolean;
  /** Queues records for a batched write; never waits, never throws. When the queue is full they are dropped and counted. */
  record(records: readonly PredictionRecord[]): void;
  /** Records waiting to be written. */
  depth(): number;
  /** Records dropped since start (queue full, or the database refused them). */
  dropped(): number;
  /** Writes what is queued (best effort) and stops. */
  close(): Promise<void>;
}

export interface RequestObservation {
  model: string;
  /** Null when the request failed before a version was chosen (unknown model, bad key). */
  version: number | null;
  /** HTTP status of the answer. */
  status: number;
  seconds: number;
}

/** One answered feedback request (POST /api/v1/models/{name}/feedback). */
export interface FeedbackObservation {
  model: string;
  status: number;
  /** Predictions whose label was stored. */
  accepted: number;
  /** Prediction ids the log does not hold for the model. */
  unknown: number;
}

export interface ServingMetrics {
  observe(observation: RequestObservation): void;
  observeFeedback(observation: FeedbackObservation): void;
  /** Prometheus text format, with its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** What the prediction log holds about the prediction ids of one feedback request. */
export interface LoggedFeedbackTargets {
  /** prediction id (lower case) → the version that made it; ids the log lacks are absent. */
  versionOf: ReadonlyMap<string, number>;
  /** Those versions' outputs (task and classes); a version whose record is unreadable is absent. */
  outputs: ReadonlyMap<number, ModelOutput>;
}

/** Feedback's storage (db prediction_feedback), read and written in one statement each. */
export interface FeedbackStore {
  lookUp(modelId: string, predictionIds: readonly string[]): Promise<LoggedFeedbackTargets>;
  /** Upserts the labels (the latest wins); returns how many predictions were stored. */
  store(input: {
    modelId: string;
    keyId: string | null;
    labels: readonly { predictionId: string; label: string | number | boolean }[];
  }): Promise<number>;
}
