ALTER TABLE "runs" ADD COLUMN "main_metric_name" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "main_metric_value" double precision;--> statement-breakpoint
CREATE INDEX "runs_trigger_started_idx" ON "runs" USING btree ("trigger","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_metric_idx" ON "runs" USING btree ("main_metric_value");--> statement-breakpoint
-- A run's main metric, as nodes/evaluate/main-metric.ts defines it (tests/run-history-page.test.ts
-- holds the two to the same answers): from the first evaluate step (by start, then node id) whose
-- summary (its own, or the one of the run it reused) holds the first gate's metric (a name, or a
-- parameter reference resolved from the run's values, else the declared default), else accuracy,
-- else r2. No row when no evaluate step has such a metric. db/queries/run-state.ts stores it on the
-- run when an evaluate step succeeds or is reused.
CREATE FUNCTION "run_main_metric"("run_id" uuid)
  RETURNS TABLE ("name" text, "value" double precision) LANGUAGE sql STABLE AS $$
SELECT candidate."name",
  (summary."metrics" -> candidate."name")::double precision AS "value"
FROM "run_steps" step
JOIN "runs" run ON run."id" = step."run_id"
JOIN "pipeline_versions" version ON version."id" = run."pipeline_version_id"
LEFT JOIN "run_steps" source
  ON source."run_id" = step."reused_from_run_id" AND source."node_id" = step."node_id"
CROSS JOIN LATERAL (
  SELECT coalesce(step."output_summary", source."output_summary") -> 'metrics' AS "metrics"
) summary
CROSS JOIN LATERAL (
  SELECT jsonb_path_query_first(version."graph",
    '$.nodes[*] ? (@.id == $id).config.gates[0].metric', jsonb_build_object('id', step."node_id")) AS "metric"
) gate
CROSS JOIN LATERAL (
  SELECT CASE WHEN jsonb_typeof(gate."metric" -> '$param') = 'string' THEN gate."metric" ->> '$param' END AS "name"
) parameter
CROSS JOIN LATERAL (
  SELECT CASE
    WHEN jsonb_typeof(gate."metric") = 'string' THEN gate."metric" #>> '{}'
    WHEN parameter."name" IS NULL THEN NULL
    -- A value the run was given wins; a missing or null one falls back to the declared default.
    WHEN coalesce(jsonb_typeof(run."parameters" -> parameter."name"), 'null') <> 'null' THEN
      CASE WHEN jsonb_typeof(run."parameters" -> parameter."name") = 'string'
        THEN run."parameters" ->> parameter."name" END
    ELSE (
      SELECT CASE WHEN jsonb_typeof(declared."item" -> 'default') = 'string' THEN declared."item" ->> 'default' END
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(version."graph" -> 'parameters') = 'array'
        THEN version."graph" -> 'parameters' ELSE '[]'::jsonb END) WITH ORDINALITY AS declared("item", "position")
      WHERE declared."item" -> 'name' = to_jsonb(parameter."name")
      ORDER BY declared."position" LIMIT 1)
  END AS "name"
) gated
CROSS JOIN LATERAL (VALUES (1, gated."name"), (2, 'accuracy'), (3, 'r2')) AS candidate("rank", "name")
WHERE step."run_id" = "run_main_metric"."run_id" AND step."node_type" = 'evaluate'
  AND jsonb_typeof(summary."metrics") = 'object'
  AND candidate."name" IS NOT NULL
  AND jsonb_typeof(summary."metrics" -> candidate."name") = 'number'
ORDER BY step."started_at", step."node_id", candidate."rank"
LIMIT 1;
$$;
--> statement-breakpoint
-- The runs recorded before this migration.
UPDATE "runs" SET ("main_metric_name", "main_metric_value") = (
  SELECT metric."name", metric."value" FROM "run_main_metric"("runs"."id") metric)
WHERE "runs"."id" IN (SELECT "run_id" FROM "run_steps" WHERE "node_type" = 'evaluate');
