CREATE TABLE "model_rollout" (
	"model_id" uuid PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'none' NOT NULL,
	"canary_percent" integer DEFAULT 10 NOT NULL,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "model_rollout_mode_valid" CHECK ("model_rollout"."mode" in ('none', 'shadow', 'canary')),
	CONSTRAINT "model_rollout_canary_percent_range" CHECK (canary_percent between 1 and 50)
);
--> statement-breakpoint
CREATE TABLE "promotion_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"from_version" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"requested_by_kind" text NOT NULL,
	"requested_by_id" text,
	"requested_by_email" text,
	"run_id" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"decided_at" timestamp (3) with time zone,
	"decided_by_id" text,
	"decided_by_email" text,
	"decision_reason" text,
	CONSTRAINT "promotion_requests_status_valid" CHECK ("promotion_requests"."status" in ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "promotion_ledger" DROP CONSTRAINT "promotion_ledger_kind_valid";--> statement-breakpoint
ALTER TABLE "prediction_log" ADD COLUMN "role" text DEFAULT 'production' NOT NULL;--> statement-breakpoint
ALTER TABLE "prediction_log" ADD COLUMN "shadow_of" uuid;--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD COLUMN "requested_by_kind" text;--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD COLUMN "requested_by_id" text;--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD COLUMN "requested_by_email" text;--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD COLUMN "request_reason" text;--> statement-breakpoint
ALTER TABLE "model_rollout" ADD CONSTRAINT "model_rollout_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "promotion_requests_pending_key" ON "promotion_requests" USING btree ("model_id","version") WHERE "promotion_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "promotion_requests_model_idx" ON "promotion_requests" USING btree ("model_id","requested_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "prediction_log_shadow_of_idx" ON "prediction_log" USING btree ("shadow_of") WHERE "prediction_log"."shadow_of" is not null;--> statement-breakpoint
ALTER TABLE "prediction_log" ADD CONSTRAINT "prediction_log_role_valid" CHECK ("prediction_log"."role" in ('production', 'canary', 'shadow'));--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD CONSTRAINT "promotion_ledger_kind_valid" CHECK ("promotion_ledger"."kind" in ('promote', 'rollback', 'reject'));
--> statement-breakpoint
-- Serving processes LISTEN on pipewright_models: a model's rollout settings reach them at commit,
-- as its alias changes do.
CREATE FUNCTION "model_rollout_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pipewright_models', COALESCE(NEW.model_id, OLD.model_id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "model_rollout_changed" AFTER INSERT OR UPDATE OR DELETE ON "model_rollout"
  FOR EACH ROW EXECUTE FUNCTION "model_rollout_notify"();
