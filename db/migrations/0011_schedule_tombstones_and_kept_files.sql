ALTER TABLE "schedules" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "artifacts_kept_idx" ON "artifacts" USING btree ("created_at","id") WHERE "artifacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "notification_deliveries_notification_idx" ON "notification_deliveries" USING btree ("notification_id");