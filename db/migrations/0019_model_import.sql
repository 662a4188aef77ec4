ALTER TABLE "model_versions" ADD COLUMN "origin" text DEFAULT 'run' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "imported_by" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "imported_file" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_origin_valid" CHECK ("model_versions"."origin" in ('run', 'import'));