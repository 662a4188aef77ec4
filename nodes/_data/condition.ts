import { z } from 'zod';

// Browser-safe: the editor builds conditions with these schemas. Their SQL is in condition-sql.ts.

export const comparisonOperators = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'not_in',
  'is_missing',
  'is_not_missing',
  'contains',
  'starts_with',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const comparisonSchema = z.object({
  column: z.string().min(1, 'Choose a column'),
  operator: z.enum(comparisonOperators),
  value: z.union([scalar, z.array(scalar)]).optional(),
});

/** A filter or slice condition: comparisons combined with AND (`all`) and OR (`any`), nested freely. */
export type Condition = z.infer<typeof comparisonSchema> | { all: Condition[] } | { any: Condition[] };

export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      comparisonSchema,
      z.object({ all: z.array(conditionSchema).min(1) }),
      z.object({ any: z.array(conditionSchema).min(1) }),
    ]),
  )
  .meta({ widget: 'condition' });

/** Every column a condition compares. */
export function conditionColumns(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionColumns);
  if ('any' in condition) return condition.any.flatMap(conditionColumns);
  return [condition.column];
}
