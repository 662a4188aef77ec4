CREATE TABLE "model_aliases" (
	"model_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"version_id" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_aliases_model_id_alias_pk" PRIMARY KEY("model_id","alias"),
	CONSTRAINT "model_aliases_alias_valid" CHECK ("model_aliases"."alias" in ('production', 'staging'))
);
--> statement-breakpoint
CREATE TABLE "model_files" (
	"version_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "model_files_version_id_name_pk" PRIMARY KEY("version_id","name")
);
--> statement-breakpoint
CREATE TABLE "model_tags" (
	"model_id" uuid NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "model_tags_model_id_tag_pk" PRIMARY KEY("model_id","tag"),
	CONSTRAINT "model_tags_tag_valid" CHECK (length("model_tags"."tag") between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"run_id" uuid,
	"node_id" text,
	"pipeline_version_id" uuid,
	"task" text NOT NULL,
	"algorithm" text NOT NULL,
	"signature" jsonb NOT NULL,
	"labels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"gates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dataset_sha256" text,
	"dataset_profile" jsonb,
	"transforms" jsonb NOT NULL,
	"reference" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reference_rows" integer DEFAULT 0 NOT NULL,
	"onnx_sha256" text NOT NULL,
	"onnx_bytes" integer NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_versions_model_version_key" UNIQUE("model_id","version"),
	CONSTRAINT "model_versions_version_positive" CHECK ("model_versions"."version" >= 1),
	CONSTRAINT "model_versions_task_valid" CHECK ("model_versions"."task" in ('classification', 'regression'))
);
--> statement-breakpoint
CREATE TABLE "prediction_log" (
	"prediction_id" uuid PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"latency_ms" real NOT NULL,
	"inputs" jsonb NOT NULL,
	"outputs" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotion_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"model_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"kind" text DEFAULT 'promote' NOT NULL,
	"from_version" integer,
	"to_version" integer,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"run_id" uuid,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "promotion_ledger_kind_valid" CHECK ("promotion_ledger"."kind" in ('promote', 'rollback'))
);
--> statement-breakpoint
CREATE TABLE "registered_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registered_models_name_valid" CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$')
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "started_by_cli" text;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_files" ADD CONSTRAINT "model_files_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_tags" ADD CONSTRAINT "model_tags_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_pipeline_version_id_pipeline_versions_id_fk" FOREIGN KEY ("pipeline_version_id") REFERENCES "public"."pipeline_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_ledger" ADD CONSTRAINT "promotion_ledger_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_models" ADD CONSTRAINT "registered_models_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_aliases_version_idx" ON "model_aliases" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "model_tags_tag_idx" ON "model_tags" USING btree ("tag");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_run_step_key" ON "model_versions" USING btree ("model_id","run_id","node_id") WHERE "model_versions"."run_id" is not null;--> statement-breakpoint
CREATE INDEX "model_versions_run_idx" ON "model_versions" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "prediction_log_model_at_idx" ON "prediction_log" USING btree ("model_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "promotion_ledger_model_at_idx" ON "promotion_ledger" USING btree ("model_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "registered_models_lower_name_key" ON "registered_models" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "registered_models_updated_idx" ON "registered_models" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);
--> statement-breakpoint
-- The promotion ledger is append-only, like the audit log.
CREATE FUNCTION "promotion_ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The promotion ledger is append-only: entries cannot be changed or deleted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "promotion_ledger_no_update_delete" BEFORE UPDATE OR DELETE ON "promotion_ledger"
  FOR EACH ROW EXECUTE FUNCTION "promotion_ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "promotion_ledger_no_truncate" BEFORE TRUNCATE ON "promotion_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION "promotion_ledger_refuse_change"();
--> statement-breakpoint
-- Serving processes LISTEN: an alias change reaches them at commit, whichever code made it.
CREATE FUNCTION "model_aliases_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pipewright_models', COALESCE(NEW.model_id, OLD.model_id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "model_aliases_changed" AFTER INSERT OR UPDATE OR DELETE ON "model_aliases"
  FOR EACH ROW EXECUTE FUNCTION "model_aliases_notify"();
--> statement-breakpoint
-- Serving caches API key checks: a revoked, changed or deleted key, or a changed or banned owner,
-- reaches every serving process at commit. The payload names what changed, so a cache drops only
-- that: 'key:<stored hash>' for a key (the old hash too when it changed), 'user:<id>' for a user.
CREATE FUNCTION "api_keys_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('pipewright_api_keys', 'user:' || OLD.id);
  ELSE
    PERFORM pg_notify('pipewright_api_keys', 'key:' || OLD.key);
    IF TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key THEN
      PERFORM pg_notify('pipewright_api_keys', 'key:' || NEW.key);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "api_keys_changed" AFTER UPDATE ON "api_keys" FOR EACH ROW
  WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.metadata IS DISTINCT FROM NEW.metadata OR OLD.key IS DISTINCT FROM NEW.key
    OR OLD.reference_id IS DISTINCT FROM NEW.reference_id)
  EXECUTE FUNCTION "api_keys_notify"();
--> statement-breakpoint
CREATE TRIGGER "api_keys_deleted" AFTER DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "api_keys_notify"();
--> statement-breakpoint
CREATE TRIGGER "users_access_changed" AFTER UPDATE ON "users" FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.banned IS DISTINCT FROM NEW.banned
    OR OLD.ban_expires IS DISTINCT FROM NEW.ban_expires)
  EXECUTE FUNCTION "api_keys_notify"();
--> statement-breakpoint
CREATE TRIGGER "users_deleted" AFTER DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "api_keys_notify"();
--> statement-breakpoint
-- A registered version is immutable: only the links that deletions clear (its run, pipeline version
-- and creator) may change, to null.
CREATE FUNCTION "model_versions_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'run_id' - 'pipeline_version_id' - 'created_by')
      IS DISTINCT FROM (to_jsonb(OLD) - 'run_id' - 'pipeline_version_id' - 'created_by')
    OR (NEW.run_id IS DISTINCT FROM OLD.run_id AND NEW.run_id IS NOT NULL)
    OR (NEW.pipeline_version_id IS DISTINCT FROM OLD.pipeline_version_id AND NEW.pipeline_version_id IS NOT NULL)
    OR (NEW.created_by IS DISTINCT FROM OLD.created_by AND NEW.created_by IS NOT NULL) THEN
    RAISE EXCEPTION 'A registered model version cannot be changed: register a new version instead';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "model_versions_immutable" BEFORE UPDATE ON "model_versions"
  FOR EACH ROW EXECUTE FUNCTION "model_versions_refuse_change"();
