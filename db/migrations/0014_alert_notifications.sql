CREATE TABLE "notification_delivery_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"http_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "notification_delivery_attempts_attempt_valid" CHECK ("notification_delivery_attempts"."attempt" >= 1)
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_event_valid";--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "sent_by" text DEFAULT 'notifier' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "workflow_started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "created_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_webhooks" ADD COLUMN "signing_generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "alert_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "notification_delivery_attempts" ADD CONSTRAINT "notification_delivery_attempts_delivery_id_notification_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."notification_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_delivery_attempts_key" ON "notification_delivery_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_id_model_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."model_alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_deliveries_unstarted_idx" ON "notification_deliveries" USING btree ("created_at") WHERE "notification_deliveries"."sent_by" = 'temporal' and "notification_deliveries"."workflow_started_at" is null and "notification_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notification_deliveries_webhook_idx" ON "notification_deliveries" USING btree ("webhook_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_alert_idx" ON "notifications" USING btree ("alert_id") WHERE "notifications"."alert_id" is not null;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_sender_valid" CHECK (sent_by in ('notifier', 'temporal'));--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_event_valid" CHECK (event in ('run_failed', 'gate_blocked', 'schedule_skipped', 'schedule_missed', 'model_alert'));