CREATE TABLE "artifacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"step_id" uuid,
	"port" text,
	"kind" text NOT NULL,
	"uri" text NOT NULL,
	"bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"schema" jsonb,
	"profile" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifacts_kind_valid" CHECK (kind in ('dataset', 'model', 'onnx', 'report')),
	CONSTRAINT "artifacts_bytes_nonnegative" CHECK ("artifacts"."bytes" >= 0),
	CONSTRAINT "artifacts_sha256_hex" CHECK ("artifacts"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "pipeline_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"graph" jsonb NOT NULL,
	"author" text DEFAULT 'anonymous' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pipeline_versions_pipeline_version_key" UNIQUE("pipeline_id","version"),
	CONSTRAINT "pipeline_versions_version_positive" CHECK ("pipeline_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "pipelines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "pipelines_name_not_blank" CHECK (length(trim("pipelines"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"node_id" text,
	"attempt" integer DEFAULT 0 NOT NULL,
	"seq" integer NOT NULL,
	"level" text DEFAULT 'info' NOT NULL,
	"message" text NOT NULL,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_events_dedupe_key" UNIQUE NULLS NOT DISTINCT("run_id","node_id","attempt","seq"),
	CONSTRAINT "run_events_level_valid" CHECK (level in ('debug', 'info', 'warn', 'error'))
);
--> statement-breakpoint
CREATE TABLE "run_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"node_type" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"message" text,
	"content_hash" text,
	"reused_from_run_id" uuid,
	"output_summary" jsonb,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "run_steps_run_node_key" UNIQUE("run_id","node_id"),
	CONSTRAINT "run_steps_status_valid" CHECK (status in ('queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'cached')),
	CONSTRAINT "run_steps_progress_range" CHECK ("run_steps"."progress" >= 0 and "run_steps"."progress" <= 1),
	CONSTRAINT "run_steps_attempt_nonnegative" CHECK ("run_steps"."attempt" >= 0)
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"pipeline_version_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"temporal_run_id" text,
	"trigger" text DEFAULT 'manual' NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"rerun_of_run_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "runs_workflow_id_unique" UNIQUE("workflow_id"),
	CONSTRAINT "runs_trigger_valid" CHECK (trigger in ('manual', 'schedule', 'api', 'monitor')),
	CONSTRAINT "runs_status_valid" CHECK (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_step_id_run_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."run_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_versions" ADD CONSTRAINT "pipeline_versions_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_reused_from_run_id_runs_id_fk" FOREIGN KEY ("reused_from_run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_pipeline_version_id_pipeline_versions_id_fk" FOREIGN KEY ("pipeline_version_id") REFERENCES "public"."pipeline_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_rerun_of_run_id_runs_id_fk" FOREIGN KEY ("rerun_of_run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artifacts_run_idx" ON "artifacts" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "artifacts_step_idx" ON "artifacts" USING btree ("step_id");--> statement-breakpoint
CREATE INDEX "pipelines_updated_idx" ON "pipelines" USING btree ("updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "run_steps_hash_idx" ON "run_steps" USING btree ("content_hash");--> statement-breakpoint
CREATE INDEX "runs_pipeline_started_idx" ON "runs" USING btree ("pipeline_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_status_started_idx" ON "runs" USING btree ("status","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_started_idx" ON "runs" USING btree ("started_at" DESC NULLS LAST,"id" DESC NULLS LAST);