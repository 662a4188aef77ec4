import type { Sql } from '../../db/client';

/**
 * The run-history benchmark's data: RUNS runs of PIPELINES pipelines (two versions each, half of
 * them gated on f1) over the past year, six steps each, as a busy installation has them after a
 * year of scheduled retraining. Set-based statements, so 100,000 runs take seconds.
 *
 * Shares, by run number: status succeeded 86 %, failed 10 %, cancelled 3 %, running 0.5 %, queued
 * 0.5 %; trigger schedule 60 %, manual 30 %, api 9 %, monitor 1 %. A finished evaluate step's
 * accuracy is spread evenly over 0.60–0.99.
 */
export async function seedRunHistory(sql: Sql, pipelineCount: number, runCount: number): Promise<void> {
  await sql`
    insert into pipelines (name, updated_at)
    select 'pipeline ' || lpad(i::text, 3, '0'), now() from generate_series(1, ${pipelineCount}) as i`;
  // The graph holds what the main metric reads: the evaluate node's gates and the parameters.
  await sql`
    insert into pipeline_versions (pipeline_id, version, graph)
    select p.id, v, jsonb_build_object(
      'schemaVersion', 1, 'edges', '[]'::jsonb, 'notes', '[]'::jsonb, 'parameters', '[]'::jsonb,
      'nodes', jsonb_build_array(jsonb_build_object('id', 'evaluate', 'type', 'evaluate', 'config',
        jsonb_build_object('gates', case when p.n % 2 = 0
          then '[{"metric": "f1", "operator": ">=", "value": 0.5}]'::jsonb else '[]'::jsonb end))))
    from (select id, row_number() over (order by name) as n from pipelines) p, generate_series(1, 2) as v`;
  await sql`
    with version as (
      select id, pipeline_id, row_number() over (order by pipeline_id, version) - 1 as n
      from pipeline_versions)
    insert into runs (pipeline_id, pipeline_version_id, workflow_id, trigger, status, started_at, finished_at)
    select version.pipeline_id, version.id, 'bench-' || i,
      case when i % 100 < 60 then 'schedule' when i % 100 < 90 then 'manual' when i % 100 < 99 then 'api' else 'monitor' end,
      case when i % 200 = 0 then 'running' when i % 200 = 1 then 'queued' when i % 100 < 87 then 'succeeded'
        when i % 100 < 97 then 'failed' else 'cancelled' end,
      start, case when i % 200 in (0, 1) then null else start + make_interval(secs => 20 + i % 600) end
    from generate_series(1, ${runCount}) as i
      cross join lateral (select now() - make_interval(secs => (${runCount} - i) * (31536000.0 / ${runCount})) as start) s
      -- A hash, not i itself: status and trigger follow i, and the pipeline must not.
      join version on version.n = (hashtext('bench-' || i) & 2147483647) % (${pipelineCount} * 2)`;
  await sql`
    insert into run_steps (run_id, node_id, node_type, status, attempt, progress, started_at, finished_at, output_summary)
    select r.id, node.id, node.type,
      case when r.status = 'succeeded' then 'succeeded' when r.status in ('queued', 'running') then 'queued'
        when node.position < 5 then 'succeeded' else 'failed' end,
      1, 1, r.started_at + make_interval(secs => node.position), r.finished_at,
      case when node.type = 'evaluate' and r.status = 'succeeded' then jsonb_build_object('rows', 2000,
        'metrics', jsonb_build_object('accuracy', 0.6 + (hashtext(r.id::text) & 1023) / 1023.0 * 0.39,
          'f1', 0.55 + (hashtext(r.workflow_id) & 1023) / 1023.0 * 0.4, 'roc_auc', 0.9))
        else jsonb_build_object('rows', 2000) end
    from runs r, (values (1, 'source', 'csv_source'), (2, 'clean', 'clean'), (3, 'split', 'split'),
      (4, 'train', 'train'), (5, 'evaluate', 'evaluate'), (6, 'export', 'export_onnx')) as node(position, id, type)`;
}
