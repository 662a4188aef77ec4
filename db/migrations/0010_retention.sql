CREATE TABLE "app_settings" (
	"single" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"retention_days" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_settings_one_row" CHECK ("app_settings"."single"),
	CONSTRAINT "app_settings_retention_days_range" CHECK ("app_settings"."retention_days" is null or "app_settings"."retention_days" between 1 and 36500)
);
--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "deleted_at" timestamp (3) with time zone;