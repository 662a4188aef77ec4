import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Sql } from '../../db/client';
import type { LoggedInput } from '../../db/queries/logged-columns';

/**
 * The monitoring benchmark's data: one classification model whose prediction log holds a
 * reference window (as training saw the inputs) and a current window, NUMERIC normal features
 * (values with 4 decimals, as clients send them) and CATEGORICAL ones of five categories, 1 % of
 * each missing; every other feature of each kind is shifted in the current window (numbers by half
 * a standard deviation, categories towards the first ones). Set-based statements with a fixed seed.
 */

export const NUMERIC = 16;
export const CATEGORICAL = 4;
const CATEGORIES = ['alpha', 'beta', 'delta', 'epsilon', 'gamma'];

export const benchInputs: LoggedInput[] = [
  ...Array.from({ length: NUMERIC }, (_, f) => ({
    name: `f${String(f).padStart(2, '0')}`,
    type: 'number' as const,
  })),
  ...Array.from({ length: CATEGORICAL }, (_, c) => ({ name: `c${c}`, type: 'string' as const })),
];

export interface BenchWindows {
  modelId: string;
  reference: { from: Date; to: Date };
  current: { from: Date; to: Date };
}

/** The json array of one row's inputs, as SQL; `shifted` says whether this window's drifted features move. */
function inputsExpression(shifted: boolean): string {
  const numbers = Array.from({ length: NUMERIC }, (_, f) => {
    const shift = shifted && f % 2 === 0 ? 0.5 : 0;
    // Each feature its own scale and centre, so no two columns are alike.
    return `case when random() < 0.01 then null else round(((random_normal() + ${shift}) * ${1 + f} + ${10 * f})::numeric, 4) end`;
  });
  const categories = Array.from({ length: CATEGORICAL }, (_, c) => {
    // A power of the uniform draw above 1 leans towards the first categories.
    const lean = shifted && c % 2 === 0 ? 1.6 : 1;
    return `case when random() < 0.01 then null else (array[${CATEGORIES.map((name) => `'${name}'`).join(',')}])[1 + floor(power(random(), ${lean}) * ${CATEGORIES.length})::int] end`;
  });
  return `json_build_array(${[...numbers, ...categories].join(', ')})`;
}

/** Inserts `rows` log rows spread over the window, in statements of 100,000 rows. */
async function insertWindow(sql: Sql, modelId: string, from: Date, rows: number, shifted: boolean) {
  const step = 100_000;
  for (let first = 0; first < rows; first += step) {
    const last = Math.min(rows, first + step) - 1;
    await sql.unsafe(
      `insert into prediction_log (prediction_id, request_id, model_id, version, at, latency_ms, inputs, outputs)
       select gen_random_uuid(), 'bench-' || (i / 10), $1::uuid, 1, $2::timestamptz + make_interval(secs => i * 0.01),
         1 + random() * 4, ${inputsExpression(shifted)},
         jsonb_build_object('label', case when random() < 0.3 then 'yes' else 'no' end,
           'probabilities', jsonb_build_object('no', 0.7, 'yes', 0.3))
       from generate_series($3::int, $4::int) as i`,
      [modelId, from.toISOString(), first, last],
    );
  }
}

export async function seedMonitorLog(
  sql: Sql,
  currentRows: number,
  referenceRows: number,
): Promise<BenchWindows> {
  await sql`select setseed(0.16)`;
  const [model] = await sql<{ id: string }[]>`
    insert into registered_models (name) values ('monitor-bench') returning id`;
  if (!model) throw new Error('The bench model was not created');
  const signature = JSON.stringify({
    inputs: benchInputs.map((input) => ({ ...input, nullable: true, unknownCategories: 'accept' })),
    output: { task: 'classification', labels: ['no', 'yes'] },
  });
  await sql`
    insert into model_versions (model_id, version, task, algorithm, signature, transforms, onnx_sha256, onnx_bytes)
    values (${model.id}, 1, 'classification', 'logistic_regression', ${signature}::jsonb, '{}'::jsonb,
      ${'0'.repeat(64)}, 1)`;
  const referenceFrom = new Date('2026-01-01T00:00:00Z');
  const currentFrom = new Date('2026-02-01T00:00:00Z');
  await insertWindow(sql, model.id, referenceFrom, referenceRows, false);
  await insertWindow(sql, model.id, currentFrom, currentRows, true);
  // As autovacuum would have by now: statistics and the visibility map.
  await sql`vacuum analyze prediction_log`;
  const day = 24 * 60 * 60 * 1000;
  return {
    modelId: model.id,
    reference: { from: referenceFrom, to: new Date(referenceFrom.getTime() + 20 * day) },
    current: { from: currentFrom, to: new Date(currentFrom.getTime() + 20 * day) },
  };
}

/** The window's inputs as a CSV file (header f00…, c0…; empty for missing): what the Python peer reads. */
export async function exportWindowCsv(
  sql: Sql,
  modelId: string,
  window: { from: Date; to: Date },
  file: string,
): Promise<void> {
  const columns = benchInputs.map((input, index) => `inputs->>${index} as ${input.name}`).join(', ');
  // In a transaction, with the settings local to it: a connection taken with sql.reserve() and
  // released when the stream ended was sometimes handed out again before its COPY had finished, and
  // the next statement on it never answered.
  await sql.begin('read only', async (tx) => {
    await tx`select set_config('pipewright.bench_model', ${modelId}, true),
      set_config('pipewright.bench_from', ${window.from.toISOString()}, true),
      set_config('pipewright.bench_to', ${window.to.toISOString()}, true)`;
    const stream = await tx
      .unsafe(
        `copy (select ${columns} from prediction_log
          where model_id = current_setting('pipewright.bench_model')::uuid
            and at >= current_setting('pipewright.bench_from')::timestamptz
            and at < current_setting('pipewright.bench_to')::timestamptz) to stdout (format csv, header)`,
      )
      .readable();
    await pipeline(stream, createWriteStream(file));
  });
}
