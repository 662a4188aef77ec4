import type {
  Caller,
  FeedbackObservation,
  KeyCheck,
  KeyChecker,
  PredictionRecord,
  PredictionRecorder,
  RequestObservation,
  ServingMetrics,
} from '../../serving/contracts';

/**
 * Minimal stand-ins for the serving server's parts, for tests of the server itself: bearer tokens
 * from a fixed table, records and observations kept in memory.
 */
export class TableKeys implements KeyChecker {
  readonly usedBy: Caller[] = [];
  constructor(private readonly table: Record<string, Caller>) {}

  async check(authorization: string | undefined): Promise<KeyCheck> {
    if (!authorization)
      return { ok: false, status: 401, message: 'An API key is required (Authorization: Bearer …)' };
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    const caller = token === undefined ? undefined : this.table[token];
    return caller ? { ok: true, caller } : { ok: false, status: 401, message: 'The API key is not valid' };
  }

  used(caller: Caller): void {
    this.usedBy.push(caller);
  }

  async close(): Promise<void> {}
}

export class MemoryLog implements PredictionRecorder {
  readonly enabled = true;
  readonly records: PredictionRecord[] = [];
  record(records: readonly PredictionRecord[]): void {
    this.records.push(...records);
  }
  depth(): number {
    return 0;
  }
  dropped(): number {
    return 0;
  }
  async close(): Promise<void> {}
}

export class MemoryMetrics implements ServingMetrics {
  readonly observations: RequestObservation[] = [];
  readonly feedback: FeedbackObservation[] = [];
  observe(observation: RequestObservation): void {
    this.observations.push(observation);
  }
  observeFeedback(observation: FeedbackObservation): void {
    this.feedback.push(observation);
  }
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: 'text/plain; version=0.0.4', body: `requests ${this.observations.length}\n` };
  }
}
