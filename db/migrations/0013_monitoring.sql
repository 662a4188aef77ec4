CREATE TABLE "model_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"opened_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"opened_check_id" uuid NOT NULL,
	"last_check_id" uuid NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"retrain_run_id" uuid,
	CONSTRAINT "model_alerts_kind_valid" CHECK (kind in ('drift', 'performance')),
	CONSTRAINT "model_alerts_state_valid" CHECK (state in ('warn', 'alert')),
	CONSTRAINT "model_alerts_subject_not_blank" CHECK (length("model_alerts"."subject") > 0)
);
--> statement-breakpoint
CREATE TABLE "monitor_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid,
	"node_id" text NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer,
	"window_from" timestamp (3) with time zone,
	"window_to" timestamp (3) with time zone,
	"reference_rows" integer NOT NULL,
	"current_rows" integer NOT NULL,
	"state" text NOT NULL,
	"features" jsonb NOT NULL,
	"model_stats" jsonb NOT NULL,
	"performance" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitor_checks_state_valid" CHECK (state in ('ok', 'warn', 'alert')),
	CONSTRAINT "monitor_checks_rows_valid" CHECK ("monitor_checks"."reference_rows" >= 0 and "monitor_checks"."current_rows" >= 0)
);
--> statement-breakpoint
ALTER TABLE "artifacts" DROP CONSTRAINT "artifacts_kind_valid";--> statement-breakpoint
ALTER TABLE "model_alerts" ADD CONSTRAINT "model_alerts_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alerts" ADD CONSTRAINT "model_alerts_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alerts" ADD CONSTRAINT "model_alerts_opened_check_id_monitor_checks_id_fk" FOREIGN KEY ("opened_check_id") REFERENCES "public"."monitor_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alerts" ADD CONSTRAINT "model_alerts_last_check_id_monitor_checks_id_fk" FOREIGN KEY ("last_check_id") REFERENCES "public"."monitor_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alerts" ADD CONSTRAINT "model_alerts_retrain_run_id_runs_id_fk" FOREIGN KEY ("retrain_run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_checks" ADD CONSTRAINT "monitor_checks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_checks" ADD CONSTRAINT "monitor_checks_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_alerts_open_subject_key" ON "model_alerts" USING btree ("pipeline_id","node_id","subject") WHERE "model_alerts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "model_alerts_model_opened_idx" ON "model_alerts" USING btree ("model_id","opened_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "model_alerts_retrain_run_idx" ON "model_alerts" USING btree ("retrain_run_id") WHERE "model_alerts"."retrain_run_id" is not null;--> statement-breakpoint
CREATE INDEX "monitor_checks_model_created_idx" ON "monitor_checks" USING btree ("model_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_checks_run_step_key" ON "monitor_checks" USING btree ("run_id","node_id") WHERE "monitor_checks"."run_id" is not null;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_kind_valid" CHECK (kind in ('dataset', 'model', 'onnx', 'report', 'drift'));