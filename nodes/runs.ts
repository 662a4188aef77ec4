import { type BoundNodeRun, bindRun } from './_kit/bind-run';
import { runClean } from './clean/run';
import { cleanSpec } from './clean/spec';
import { runDeploy } from './deploy/run';
import { deploySpec } from './deploy/spec';
import { runEvaluate } from './evaluate/run';
import { evaluateSpec } from './evaluate/spec';
import { runFeature } from './feature/run';
import { featureSpec } from './feature/spec';
import { runIngest } from './ingest/run';
import { ingestSpec } from './ingest/spec';
import { runIngestPredictions } from './ingest-predictions/run';
import { ingestPredictionsSpec } from './ingest-predictions/spec';
import { runMonitorDrift } from './monitor-drift/run';
import { monitorDriftSpec } from './monitor-drift/spec';
import { runMonitorRetrain } from './monitor-retrain/run';
import { monitorRetrainSpec } from './monitor-retrain/spec';
import { runScore } from './score/run';
import { scoreSpec } from './score/spec';
import { isNodeType, type NodeType } from './specs';
import { runSplit } from './split/run';
import { splitSpec } from './split/spec';
import { runTrain } from './train/run';
import { trainSpec } from './train/spec';

/**
 * How each node type runs, keyed like `nodeSpecs`: a type without a run function, or a run function
 * that does not fit its spec, does not compile. Server-only (worker): run functions may use DuckDB,
 * onnxruntime and the file system.
 */
export const nodeRuns = {
  ingest: bindRun(ingestSpec, runIngest),
  clean: bindRun(cleanSpec, runClean),
  feature: bindRun(featureSpec, runFeature),
  split: bindRun(splitSpec, runSplit),
  train: bindRun(trainSpec, runTrain),
  evaluate: bindRun(evaluateSpec, runEvaluate),
  deploy: bindRun(deploySpec, runDeploy),
  score: bindRun(scoreSpec, runScore),
  'monitor.drift': bindRun(monitorDriftSpec, runMonitorDrift),
  'monitor.retrain': bindRun(monitorRetrainSpec, runMonitorRetrain),
  'ingest.predictions': bindRun(ingestPredictionsSpec, runIngestPredictions),
} satisfies Record<NodeType, BoundNodeRun>;

/** Finds the run function of a node type; the activities take one, so tests can add their own nodes. */
export type NodeRunLookup = (type: string) => BoundNodeRun | undefined;

/** The production registry as the activities take it. */
export function nodeRun(type: string): BoundNodeRun | undefined {
  return isNodeType(type) ? nodeRuns[type] : undefined;
}
