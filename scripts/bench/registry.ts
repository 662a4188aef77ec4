/**
 * Registry search: `npm run bench:registry [-- --models 1000 --versions 100 --runs 200]`
 *
 * Seeds a scratch embedded PostgreSQL with MODELS registered models of VERSIONS versions each
 * (signatures, metrics and references of a 30-column model, tags, production on most models,
 * staging on some), then times the listing queries the Models page, the app's API and
 * `pipewright models list|show` run: listModels unfiltered, by text (matching some, matching none),
 * by tag, by alias, a second page, and listModelVersions. Goal (issue 14): p95 < 100 ms at 1,000
 * models × 100 versions. Figures are printed, never asserted.
 */
import { parseArgs } from 'node:util';
import { listModels, listModelVersions, type ModelSearch } from '../../db/queries/model-listing';
import { ms, openBenchDatabase, percentile } from './harness';
import { seedRegistry } from './registry-seed';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '1000' },
    versions: { type: 'string', default: '100' },
    runs: { type: 'string', default: '200' },
  },
});
const modelCount = Number(values.models);
const versionCount = Number(values.versions);
const runs = Number(values.runs);
const GOAL_MS = 100;

interface Timing {
  label: string;
  rows: number;
  times: number[];
}

async function time(label: string, query: () => Promise<readonly unknown[]>): Promise<Timing> {
  // The first runs warm the plan cache and the buffers, as a running app's would be.
  for (let warm = 0; warm < 5; warm++) await query();
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    rows = (await query()).length;
    times.push(performance.now() - started);
  }
  return { label, rows, times: times.sort((a, b) => a - b) };
}

const bench = await openBenchDatabase();
const { sql } = bench.database;
try {
  console.log(
    `Registry search benchmark: ${modelCount} models × ${versionCount} versions, ${runs} runs per query (after 5 warm-up runs)`,
  );
  const seeding = performance.now();
  await seedRegistry(sql, modelCount, versionCount);
  const [counts] = await sql<{ models: number; versions: number; aliases: number }[]>`
    select (select count(*)::int from registered_models) as models,
      (select count(*)::int from model_versions) as versions,
      (select count(*)::int from model_aliases) as aliases`;
  console.log(
    `seeded ${counts?.models} models, ${counts?.versions} versions, ${counts?.aliases} aliases in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  const page = 50;
  const list = (search: Omit<ModelSearch, 'limit'>) => () => listModels(sql, { limit: page, ...search });
  const firstPage = await listModels(sql, { limit: page });
  const [first] = firstPage;
  const last = firstPage.at(-1);
  const ids = (await sql<{ id: string }[]>`select id from registered_models order by name`).map(
    (row) => row.id,
  );
  let next = 0;
  const someModel = () => {
    next = (next + 37) % ids.length;
    return ids[next] ?? '';
  };

  const timings = [
    await time('listModels, first page', list({})),
    await time(
      'listModels, next page (cursor)',
      list(last ? { cursor: { updatedAt: last.updatedAt, id: last.id } } : {}),
    ),
    await time('listModels, text "churn" (name)', list({ text: 'churn' })),
    await time('listModels, text "team 3" (description)', list({ text: 'team 3' })),
    await time('listModels, text matching nothing', list({ text: 'no-such-model' })),
    await time('listModels, tag "team-5"', list({ tag: 'team-5' })),
    await time('listModels, alias production', list({ alias: 'production' })),
    await time('listModels, alias staging', list({ alias: 'staging' })),
    await time('listModels, text + tag + alias', list({ text: 'fraud', tag: 'tier-1', alias: 'production' })),
    await time('listModels, one model (show)', list({ id: first?.id ?? '' })),
    await time('listModelVersions, 50 newest', () => listModelVersions(sql, someModel(), { limit: page })),
    await time(`listModelVersions, all ${versionCount}`, () =>
      listModelVersions(sql, someModel(), { limit: versionCount }),
    ),
  ];

  const width = Math.max(...timings.map((timing) => timing.label.length));
  console.log(`\n${'query'.padEnd(width)}  rows     p50      p95      max`);
  for (const timing of timings) {
    const { label, rows, times } = timing;
    console.log(
      `${label.padEnd(width)}  ${String(rows).padStart(4)}  ${ms(percentile(times, 0.5)).padStart(8)} ${ms(percentile(times, 0.95)).padStart(8)} ${ms(times.at(-1) ?? Number.NaN).padStart(8)}`,
    );
  }
  const worst = Math.max(...timings.map((timing) => percentile(timing.times, 0.95)));
  console.log(
    `\nGoal: p95 < ${GOAL_MS} ms for every query. Worst p95 ${ms(worst)}: ${(worst / GOAL_MS).toFixed(2)} × the goal (${worst < GOAL_MS ? 'met' : 'NOT met'}).`,
  );
} finally {
  await bench.close();
}
