import { z } from 'zod';

/** The algorithms the train node offers; `linear` is logistic regression for classes, ridge for numbers. */
export const algorithms = ['gradient_boosting', 'random_forest', 'decision_tree', 'linear'] as const;
export const algorithmSchema = z.enum(algorithms);
export type Algorithm = z.infer<typeof algorithmSchema>;
