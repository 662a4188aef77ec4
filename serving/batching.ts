import type { ServedVersion } from './model-cache';
import { type Prediction, predict } from './predict';
import type { ColumnValues } from './validate-rows';

/**
 * Requests for the same version that arrive in the same turn of the event loop run as one call of
 * the graph: onnxruntime's cost per call (not per row) dominates single-row requests, so under
 * concurrent load this serves several requests for the price of about one. Each request gets its
 * own rows' predictions back; a lone request runs as it is, one turn later.
 */

interface Waiting {
  columns: ReadonlyMap<string, ColumnValues>;
  rows: number;
  resolve: (predictions: Prediction[]) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  served: ServedVersion;
  waiting: Waiting[];
  rows: number;
}

/**
 * A request joins the filling batch only if the batch stays within this many rows; otherwise it
 * starts a new one. So a call of the graph holds at most this many rows, or one request's rows
 * when that request alone is larger (up to request-rows.ts MAX_ROWS).
 */
const MAX_BATCH_ROWS = 256;

/** The batch filling for each session (one per version), if any. */
const filling = new WeakMap<ServedVersion['session'], Batch>();

export function predictBatched(
  served: ServedVersion,
  columns: ReadonlyMap<string, ColumnValues>,
  rows: number,
): Promise<Prediction[]> {
  return new Promise((resolve, reject) => {
    let batch = filling.get(served.session);
    if (!batch || batch.rows + rows > MAX_BATCH_ROWS) {
      const started: Batch = { served, waiting: [], rows: 0 };
      batch = started;
      filling.set(served.session, started);
      setImmediate(() => void run(started));
    }
    batch.waiting.push({ columns, rows, resolve, reject });
    batch.rows += rows;
  });
}

async function run(batch: Batch): Promise<void> {
  if (filling.get(batch.served.session) === batch) filling.delete(batch.served.session);
  const [only] = batch.waiting;
  if (only && batch.waiting.length === 1) {
    await predict(batch.served, only.columns, only.rows).then(only.resolve, only.reject);
    return;
  }
  try {
    const predictions = await predict(batch.served, joined(batch), batch.rows);
    let offset = 0;
    for (const waiting of batch.waiting) {
      waiting.resolve(predictions.slice(offset, offset + waiting.rows));
      offset += waiting.rows;
    }
  } catch (error) {
    for (const waiting of batch.waiting) waiting.reject(error);
  }
}

/** Every request's columns one after the other, in the order the requests came. */
function joined(batch: Batch): Map<string, ColumnValues> {
  const columns = new Map<string, ColumnValues>();
  for (const column of batch.served.signature.inputs) {
    if (column.type === 'string') {
      const values: string[] = [];
      for (const waiting of batch.waiting) {
        const part = waiting.columns.get(column.name);
        for (let row = 0; row < waiting.rows; row++)
          values.push(Array.isArray(part) ? (part[row] ?? '') : '');
      }
      columns.set(column.name, values);
    } else {
      // Validation fills every signature column of every request; NaN (missing) otherwise.
      const values = new Float64Array(batch.rows).fill(Number.NaN);
      let offset = 0;
      for (const waiting of batch.waiting) {
        const part = waiting.columns.get(column.name);
        // Copied by hand: a subarray per request and column costs more than a few requests' rows.
        if (part instanceof Float64Array)
          for (let row = 0; row < waiting.rows; row++) values[offset + row] = part[row] ?? Number.NaN;
        offset += waiting.rows;
      }
      columns.set(column.name, values);
    }
  }
  return columns;
}
