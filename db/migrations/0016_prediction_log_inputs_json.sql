-- The log's inputs as json (the text serving wrote), not jsonb: see prediction_log in db/registry-schema.ts.
ALTER TABLE "prediction_log" ALTER COLUMN "inputs" SET DATA TYPE json USING "inputs"::json;
