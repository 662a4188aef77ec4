import type { Metrics } from '../../ml/metrics/summary';
import type { RegistryPort } from '../_kit/registry-port';

/** What a `compare: 'production'` gate compares with: the production version's recorded test metrics. */
export interface ProductionBaseline {
  metrics: Metrics;
  /** "churn version 3", for the gate's note. */
  label: string;
}

/**
 * The model in production for this pipeline, through the same registry code the deploy step uses
 * (RegistryPort; workflows/registry-port.ts). An evaluate step sits before the deploy step and does
 * not know the model's name, so "the model in production" is the production version of the model
 * this pipeline most recently registered a version of: the pipeline is the stable link between the
 * two steps, and it survives renaming nodes or models. The recorded test metrics are compared,
 * because the evaluate step's data is after feature engineering and the production graph takes raw
 * columns; the deploy step's champion/challenger rule scores both graphs on the same raw rows.
 * Undefined without a registry (unit harnesses) or before a version is in production.
 */
export async function productionBaseline(
  registry: RegistryPort | undefined,
): Promise<ProductionBaseline | undefined> {
  const version = await registry?.pipelineProduction();
  if (!version) return undefined;
  return { metrics: version.metrics, label: `${version.modelName} version ${version.version}` };
}
