import type { Readable } from 'node:stream';
import type { Sql } from '../client';
import { BinaryCopyTuples } from './copy-binary';
import {
  type ColumnSink,
  type JsonColumnKind,
  NumberSink,
  readJsonArrayRow,
  sinkFor,
  TextSink,
} from './json-array-columns';

/**
 * The prediction log of one model over a time window [from, to), read into columns for monitoring:
 * one Float64Array per number or boolean input (NaN when missing), one string array per text input
 * (null when missing), the latency, and the predicted label or value.
 *
 * Only the rows of versions whose signature has the same inputs (names and types, in order) and
 * the same task as the one asked for are read: `inputs` holds values by position, so a version
 * with other columns would put its values under the wrong names. Versions that only differ in
 * their known categories or classes (a retrained model) are read together. The versions read are
 * returned.
 *
 * Speed: a million rows of twenty inputs come over `COPY … TO STDOUT (FORMAT binary)` (no
 * per-row result objects in postgres.js, no unescaping) and each row's json text (stored as serving
 * wrote it, so PostgreSQL prints nothing) is scanned byte by byte into the columns
 * (json-array-columns.ts). The window is read in parts at once (two
 * by default, see PARTS), on as many connections, the rows of all parts landing in the same columns
 * in whatever order they arrive (each part a consistent snapshot of its own). COPY takes no bind parameters, so the
 * model, window and versions travel as transaction-local settings set by a parameterised query
 * and read back with current_setting() inside the COPY: nothing is spliced into its text.
 */

export interface LoggedInput {
  name: string;
  type: JsonColumnKind;
}

export interface LoggedColumnsRequest {
  modelId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The version's signature, as registry/version-schema.ts has it: its inputs in order and its task. */
  signature: { inputs: readonly LoggedInput[]; task: 'classification' | 'regression' };
  /** Parts of the window read at the same time, each on its own connection; 2 by default (see PARTS). */
  parts?: number;
  /** Only this version's rows (it must have the signature's inputs and task). */
  onlyVersion?: number;
}

/** A request for the predictions that have feedback: their true labels or values come with them. */
export interface LabelledColumnsRequest extends LoggedColumnsRequest {
  labelled: true;
}

export type LoggedColumn = Float64Array | (string | null)[];

export type LoggedPredictions =
  | { task: 'classification'; labels: (string | null)[] }
  | { task: 'regression'; values: Float64Array };

export interface LabelledColumns extends LoggedColumns {
  /** The true label (as the feedback spells it, numbers and booleans as text) or value of each row. */
  truth: LoggedPredictions;
}

export interface LoggedColumns {
  rows: number;
  /** The versions whose rows were read (those with the same inputs and task), ascending. */
  versions: number[];
  /** Input name → one value per row, in signature order. */
  columns: Map<string, LoggedColumn>;
  latencyMs: Float64Array;
  /** The label as the log spells it (numbers and booleans as text), or the regression value. */
  predictions: LoggedPredictions;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INITIAL_CAPACITY = 1 << 16;
/** Parts of the window read at the same time (see readLoggedColumns). */
/** Two: one backend's scan and sending runs beside the other's, while this process decodes. */
const PARTS = 2;

/** [from, to) cut into `parts` consecutive windows of equal length (milliseconds, as the log keeps). */
export function windowParts(from: Date, to: Date, parts: number): [Date, Date][] {
  const start = from.getTime();
  const length = to.getTime() - start;
  const edges = Array.from(
    { length: parts + 1 },
    (_, part) => new Date(start + Math.floor((length * part) / parts)),
  );
  return edges.slice(1).map((edge, part) => [edges[part] ?? from, edge]);
}

/**
 * The two statements, fixed text: only the prediction's column differs by task. The index on
 * (model_id, at) serves both conditions (current_setting is stable, so it can drive an index scan).
 */
const COPY_STATEMENTS = {
  classification: copyStatement(`outputs->>'label'`),
  regression: copyStatement(`(outputs->>'value')::float8`),
} as const;

/**
 * With feedback: only the predictions that have some, and the true answer as a fourth column
 * (`#>> '{}'` is a JSON scalar as text: "yes", "1", "true"), in prediction order: these rows
 * become training data, and the same window must give the same dataset: read in one part.
 */
const LABELLED_STATEMENTS = {
  classification: copyStatement(`outputs->>'label'`, `feedback.label #>> '{}'`),
  regression: copyStatement(`(outputs->>'value')::float8`, `(feedback.label #>> '{}')::float8`),
} as const;

/**
 * Shadow rows (staging's answers to copies of production requests, never returned) are not traffic
 * any client got: monitoring leaves them out. Canary rows are real answers and stay in.
 */
function copyStatement(prediction: string, truth?: string): string {
  const join = truth
    ? `, ${truth} from prediction_log log join prediction_feedback feedback using (prediction_id)`
    : ' from prediction_log log';
  return `copy (
    select latency_ms, ${prediction}, inputs${join}
    where log.model_id = current_setting('pipewright.log_model')::uuid
      and at >= current_setting('pipewright.log_from')::timestamptz
      and at < current_setting('pipewright.log_to')::timestamptz
      and log.version = any(current_setting('pipewright.log_versions')::int[])
      and log.role <> 'shadow'
    ${truth ? 'order by log.at, log.prediction_id' : ''}
  ) to stdout (format binary)`;
}

export function readLoggedColumns(sql: Sql, request: LabelledColumnsRequest): Promise<LabelledColumns>;
export function readLoggedColumns(sql: Sql, request: LoggedColumnsRequest): Promise<LoggedColumns>;
export async function readLoggedColumns(
  sql: Sql,
  request: LoggedColumnsRequest & { labelled?: true },
): Promise<LoggedColumns | LabelledColumns> {
  checkRequest(request);
  const { inputs, task } = request.signature;
  const versions = (await sameSignatureVersions(sql, request)).filter(
    (version) => request.onlyVersion === undefined || version === request.onlyVersion,
  );
  const sinks = inputs.map((input) => sinkFor(input.type, INITIAL_CAPACITY));
  const latency = new NumberSink('number', INITIAL_CAPACITY);
  const answerSink = () =>
    task === 'classification' ? new TextSink() : new NumberSink('number', INITIAL_CAPACITY);
  const prediction = answerSink();
  const truth = request.labelled ? answerSink() : null;
  const target: Target = { sinks, latency, prediction, truth, rows: 0 };
  const statement = (request.labelled ? LABELLED_STATEMENTS : COPY_STATEMENTS)[task];
  if (versions.length > 0) {
    // The parts are read at once, each by its own connection and PostgreSQL backend, into the same
    // columns, so PostgreSQL's scan and sending run on both cores while this process decodes.
    await Promise.all(
      windowParts(request.from, request.to, request.labelled ? 1 : (request.parts ?? PARTS)).map(
        ([from, to]) =>
          sql.begin('read only', async (tx) => {
            await tx`
            select set_config('pipewright.log_model', ${request.modelId}, true),
              set_config('pipewright.log_from', ${from.toISOString()}, true),
              set_config('pipewright.log_to', ${to.toISOString()}, true),
              set_config('pipewright.log_versions', ${`{${versions.join(',')}}`}, true)`;
            const stream = await tx.unsafe(statement).readable();
            await readTuples(stream, target);
          }),
      ),
    );
  }
  const rows = target.rows;
  const columns = new Map<string, LoggedColumn>();
  inputs.forEach((input, index) => {
    const sink = sinks[index];
    if (sink) columns.set(input.name, sink.finish(rows));
  });
  const read: LoggedColumns = {
    rows,
    versions,
    columns,
    latencyMs: latency.finish(rows),
    predictions: answers(prediction, rows),
  };
  return truth ? { ...read, truth: answers(truth, rows) } : read;
}

function answers(sink: ColumnSink, rows: number): LoggedPredictions {
  return sink.kind === 'string'
    ? { task: 'classification', labels: sink.finish(rows) }
    : { task: 'regression', values: sink.finish(rows) };
}

function checkRequest(request: LoggedColumnsRequest): void {
  if (!UUID.test(request.modelId)) throw new Error('The model id must be a UUID');
  if (!(request.from.getTime() <= request.to.getTime()))
    throw new Error('The window must be valid dates, its start not after its end');
  if (request.signature.inputs.length === 0) throw new Error('The signature has no inputs');
  if (
    request.parts !== undefined &&
    !(Number.isInteger(request.parts) && request.parts >= 1 && request.parts <= 8)
  )
    throw new Error('The parts must be a whole number from 1 to 8');
}

/** The model's versions whose inputs (names and types, in order) and task are the signature's. */
async function sameSignatureVersions(sql: Sql, request: LoggedColumnsRequest): Promise<number[]> {
  const shape = JSON.stringify(request.signature.inputs.map((input) => [input.name, input.type]));
  const rows = await sql<{ version: number }[]>`
    select version from model_versions
    where model_id = ${request.modelId}
      and signature->'output'->>'task' = ${request.signature.task}
      and (select coalesce(jsonb_agg(jsonb_build_array(c->>'name', c->>'type') order by n), '[]'::jsonb)
           from jsonb_array_elements(signature->'inputs') with ordinality as e(c, n)) = ${shape}::jsonb
    order by version`;
  return rows.map((row) => row.version);
}

/** Where tuples go: the columns, and the count of rows so far (the row a tuple fills). */
interface Target {
  sinks: readonly ColumnSink[];
  latency: NumberSink;
  prediction: ColumnSink;
  /** The true answer's column, when reading predictions with feedback. */
  truth: ColumnSink | null;
  rows: number;
}

/**
 * Feeds the COPY stream to the tuple splitter. A row that cannot be read stops the reading but
 * not the stream, which is drained to its end so the connection stays usable; the error is thrown
 * then.
 */
function readTuples(stream: Readable, target: Target): Promise<void> {
  const { sinks, latency, prediction, truth } = target;
  const tuples = new BinaryCopyTuples(truth ? 4 : 3, (buffer, starts, lengths) => {
    // Each tuple fills one whole row at once, so parts read at the same time never mix their rows.
    const row = target.rows;
    latency.set(row, buffer.readFloatBE(starts[0] ?? 0));
    readPrediction(buffer, starts[1] ?? 0, lengths[1] ?? -1, row, prediction);
    // json's binary form is its text, as serving wrote it.
    const start = starts[2] ?? 0;
    readJsonArrayRow(buffer, start, start + (lengths[2] ?? 0), row, sinks);
    if (truth) readPrediction(buffer, starts[3] ?? 0, lengths[3] ?? -1, row, truth);
    target.rows = row + 1;
  });
  return new Promise((resolve, reject) => {
    let failure: unknown = null;
    stream.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        tuples.push(chunk);
      } catch (error) {
        failure = error;
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      resumeConnection(stream);
      if (failure) reject(failure);
      else if (!tuples.complete) reject(new Error('The COPY stream of the prediction log ended early'));
      else resolve();
    });
  });
}

/**
 * postgres.js (3.4.9, connection.js) pauses the connection's socket when a COPY row does not fit
 * the stream's buffer, and resumes it only when the stream asks for more (its _read). The rows
 * come before the listener is attached (readable() resolves a tick later), so a small result fills
 * the buffer at once; when COPY's end is in that same chunk, the stream ends without ever asking
 * again, the socket stays paused, and the answers that follow (the COPY's completion, then
 * COMMIT's) are never read: the transaction hangs, PostgreSQL idle. Asking once more at the end
 * resumes the socket; it reads nothing, the stream having ended.
 */
function resumeConnection(stream: Readable): void {
  stream._read(0);
}

function readPrediction(buffer: Buffer, start: number, length: number, row: number, sink: ColumnSink): void {
  if (sink.kind === 'string') sink.set(row, length < 0 ? null : sink.text(buffer, start, start + length));
  else sink.set(row, length < 0 ? Number.NaN : buffer.readDoubleBE(start));
}
