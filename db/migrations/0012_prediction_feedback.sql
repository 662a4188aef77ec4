CREATE TABLE "prediction_feedback" (
	"prediction_id" uuid PRIMARY KEY NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"label" jsonb NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"key_id" text
);
--> statement-breakpoint
CREATE INDEX "prediction_feedback_model_received_idx" ON "prediction_feedback" USING btree ("model_id","received_at" DESC NULLS LAST);