import type { Metrics } from '../../ml/metrics/summary';

/**
 * Where a `compare: 'production'` gate finds the metrics of the model now in production for the
 * same pipeline. The model registry plugs in here; until a model is promoted there is none, and
 * such gates pass with a note saying so.
 */
export interface ProductionBaseline {
  /** Test metrics recorded for the model in production, or undefined when none is deployed. */
  metricsFor(pipelineRunId: string): Promise<Metrics | undefined>;
}

export const noProductionModel: ProductionBaseline = {
  metricsFor: async () => undefined,
};
