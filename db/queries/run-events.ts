import type { Database } from '../client';
import { type EventLevel, runEvents } from '../schema';

export interface RunStartEvent {
  nodeId: string | null;
  level: EventLevel;
  message: string;
  data?: unknown;
}

/**
 * Log lines a run gets before any step starts (why a step runs again instead of being reused).
 * They are numbered under attempt 0, which no step attempt uses (Temporal counts attempts from 1),
 * so they never collide with a step's own lines. Takes a transaction too: insertRun writes them
 * with the run's row, so a run is never recorded without them (or they without it).
 */
export async function appendRunStartEvents(
  db: Pick<Database, 'insert'>,
  runId: string,
  lines: RunStartEvent[],
): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insert(runEvents)
    .values(lines.map((line, seq) => ({ runId, attempt: 0, seq, ...line })))
    .onConflictDoNothing();
}
