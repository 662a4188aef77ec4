import { z } from 'zod';

// Arrays arrive as typed arrays from a training thread and as plain arrays from a model file;
// both parse to the typed arrays ml/ works on.
const f64 = z.union([
  z.custom<Float64Array>((value) => value instanceof Float64Array),
  z.array(z.number()).transform((values) => Float64Array.from(values)),
]);
const i32 = z.union([
  z.custom<Int32Array>((value) => value instanceof Int32Array),
  z.array(z.number().int()).transform((values) => Int32Array.from(values)),
]);
const u8 = z.union([
  z.custom<Uint8Array>((value) => value instanceof Uint8Array),
  z.array(z.number().int()).transform((values) => Uint8Array.from(values)),
]);

const linearSchema = z.object({ coefficients: f64, intercept: z.number() });
const logisticSchema = z.object({
  classes: z.number().int(),
  cols: z.number().int(),
  weights: f64,
  intercepts: f64,
  iterations: z.number(),
  converged: z.boolean(),
});
const treeSchema = z.object({
  feature: i32,
  threshold: f64,
  left: i32,
  right: i32,
  value: f64,
  outputs: z.number().int(),
  gain: f64,
  nodeCount: z.number().int(),
});
const boostedTreeSchema = z.object({
  feature: i32,
  threshold: f64,
  missingLeft: u8,
  left: i32,
  right: i32,
  value: f64,
  nodeCount: z.number().int(),
});
const boostedSchema = z.object({
  task: z.enum(['binary', 'multiclass', 'regression']),
  classes: z.number().int(),
  outputs: z.number().int(),
  baseline: f64,
  trees: z.array(boostedTreeSchema),
  iterations: z.number().int(),
  gain: f64,
  validationLoss: z.array(z.number()),
});

/** A fitted model of any algorithm (ml/model.ts FittedModel), checked at every boundary. */
export const fittedModelSchema = z.discriminatedUnion('algorithm', [
  z.object({ algorithm: z.literal('linear'), model: linearSchema }),
  z.object({ algorithm: z.literal('logistic'), model: logisticSchema }),
  z.object({ algorithm: z.literal('decision_tree'), model: treeSchema }),
  z.object({
    algorithm: z.literal('random_forest'),
    model: z.object({ trees: z.array(treeSchema), outputs: z.number().int() }),
  }),
  z.object({ algorithm: z.literal('gradient_boosting'), model: boostedSchema }),
]);
