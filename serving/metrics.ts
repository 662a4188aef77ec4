import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type {
  FeedbackObservation,
  PredictionRecorder,
  RequestObservation,
  ServingMetrics,
} from './contracts';
import type { ShadowCounts } from './shadow-scorer';

/**
 * The serving process's Prometheus metrics (GET /metrics), in a registry of its own so that nothing
 * else loaded in the process (a library's own metrics, a test's) leaks into the page.
 */

/** Sub-millisecond to one second: a single-row prediction takes well under a millisecond. */
export const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/** The label of a request that failed before a version was chosen. */
export const NO_VERSION = 'none';
/** The model label of every request refused before its caller was authorised (bad key, no scope). */
export const UNAUTHORISED_MODEL = '(unauthorised)';
/** The model label of an authorised request for a model this process has not loaded. */
export const UNKNOWN_MODEL = '';
/** The model label once more model names than the limit have been seen (they come from URLs). */
export const OTHER_MODELS = '(other)';

export interface ServingMetricsOptions {
  /** The prediction log whose queue depth and dropped records are reported; none leaves them out. */
  recorder?: Pick<PredictionRecorder, 'depth' | 'dropped'>;
  /**
   * How many distinct model names get series of their own. Model names come from request paths, so
   * a caller asking for made-up models must not grow the page (and the memory) without bound.
   */
  maxModels?: number;
  /** Metric name prefix of the default process metrics (process_cpu_seconds_total, …). */
  processPrefix?: string;
  /** Shadow scoring's queue and outcomes (serving/shadow-scorer.ts); none leaves them out. */
  shadow?: { snapshot(): ShadowCounts };
}

export interface ServingMetricsWithRegistry extends ServingMetrics {
  readonly registry: Registry;
}

export function createServingMetrics(options: ServingMetricsOptions = {}): ServingMetricsWithRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: options.processPrefix ?? '' });
  const labelNames = ['model', 'version', 'status'] as const;
  const requests = new Counter({
    name: 'pipewright_serving_requests_total',
    help: 'Prediction requests answered, by model, version and HTTP status.',
    labelNames,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'pipewright_serving_errors_total',
    help: 'Prediction requests answered with a status of 400 or above, by model, version and HTTP status.',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pipewright_serving_request_duration_seconds',
    help: 'Time from receiving a prediction request to answering it, by model and version.',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const feedbackRequests = new Counter({
    name: 'pipewright_feedback_requests_total',
    help: 'Feedback requests answered, by model and HTTP status.',
    labelNames: ['model', 'status'] as const,
    registers: [registry],
  });
  const feedbackItems = new Counter({
    name: 'pipewright_feedback_items_total',
    help: 'Feedback labels received, by model and outcome: accepted (stored) or unknown (no such logged prediction).',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  });
  const { recorder } = options;
  if (recorder) registerRecorderMetrics(registry, recorder);
  if (options.shadow) registerShadowMetrics(registry, options.shadow);
  // One bound for both kinds of request: made-up names on either path share it.
  const modelLabel = boundedLabel(options.maxModels ?? 1000);

  return {
    registry,
    observe(observation: RequestObservation): void {
      const model = modelLabel(observation.model);
      const version = observation.version === null ? NO_VERSION : String(observation.version);
      const status = String(observation.status);
      requests.inc({ model, version, status });
      if (observation.status >= 400) errors.inc({ model, version, status });
      latency.observe({ model, version }, observation.seconds);
    },
    observeFeedback(observation: FeedbackObservation): void {
      const model = modelLabel(observation.model);
      feedbackRequests.inc({ model, status: String(observation.status) });
      // Zero increments still create the series, so a dashboard's rate() has both from the start.
      feedbackItems.inc({ model, outcome: 'accepted' }, observation.accepted);
      feedbackItems.inc({ model, outcome: 'unknown' }, observation.unknown);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** The prediction log's queue depth and dropped records, read from the recorder at each scrape. */
function registerRecorderMetrics(
  registry: Registry,
  recorder: Pick<PredictionRecorder, 'depth' | 'dropped'>,
): void {
  new Gauge({
    name: 'pipewright_prediction_log_queue_depth',
    help: 'Prediction records waiting to be written to the prediction log.',
    registers: [registry],
    collect() {
      this.set(recorder.depth());
    },
  });
  // A counter (it only grows), so that rate() works on it; it catches up with the recorder at each scrape.
  let counted = 0;
  new Counter({
    name: 'pipewright_prediction_log_dropped_total',
    help: 'Prediction records dropped instead of logged (queue full, or the database refused them).',
    registers: [registry],
    collect() {
      const dropped = recorder.dropped();
      if (dropped > counted) this.inc(dropped - counted);
      counted = Math.max(counted, dropped);
    },
  });
}

/** Shadow copies waiting, and how many were scored, dropped (queue full) or failed, read at each scrape. */
function registerShadowMetrics(registry: Registry, shadow: { snapshot(): ShadowCounts }): void {
  new Gauge({
    name: 'pipewright_shadow_queue_depth',
    help: 'Copies of production requests waiting for staging to score them (shadow rollout).',
    registers: [registry],
    collect() {
      this.set(shadow.snapshot().queued);
    },
  });
  const counted = { scored: 0, dropped: 0, failed: 0 };
  new Counter({
    name: 'pipewright_shadow_requests_total',
    help: 'Copies of production requests for staging, by outcome: scored, dropped (queue full) or failed.',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const now = shadow.snapshot();
      for (const outcome of ['scored', 'dropped', 'failed'] as const) {
        if (now[outcome] > counted[outcome]) this.inc({ outcome }, now[outcome] - counted[outcome]);
        counted[outcome] = Math.max(counted[outcome], now[outcome]);
      }
    },
  });
}

/** Passes the first `limit` distinct values through and maps every later one to OTHER_MODELS. */
function boundedLabel(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit) return OTHER_MODELS;
    seen.add(value);
    return value;
  };
}
