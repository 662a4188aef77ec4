import type { Role } from '../../access/roles';
import type {
  ModelAlias,
  ModelOutput,
  ModelSignature,
  VersionReference,
} from '../../registry/version-schema';

/**
 * The model registry as a step sees it (NodeContext.registry). The worker implements it on the
 * database (workflows/registry-port.ts), bound to one run and step: the run, the step and the person
 * behind them are filled in by the port, never by the node, so a node cannot register or promote in
 * anyone else's name.
 */
export interface RegistryPort {
  /** Who the run acts for, and the run's own facts (pipeline, parameters). */
  authority(): Promise<RunAuthority>;
  /** What the artifacts row records about an input: its checksum and (datasets) its profile. */
  artifactFacts(artifactId: string): Promise<{ sha256: string; profile: unknown } | undefined>;
  /**
   * The config of the step that wrote an input (the train step's, for the model), with the
   * parameter values of the run that wrote it; undefined when it cannot be found.
   */
  producerConfig(artifactId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Registers a version of the named model (created when new, owned by the run's person). A retried
   * step gets back the version its earlier attempt registered instead of a second one.
   */
  registerVersion(input: VersionRegistration): Promise<RegisteredVersion>;
  /** The version in production of the named model, or undefined (no such model, or none promoted). */
  productionOf(modelName: string): Promise<RegistryVersion | undefined>;
  /**
   * A version of the named model, by the alias that points at it or by number; undefined when the
   * model, the alias or the number is not there.
   */
  findVersion(
    modelName: string,
    which: { alias: ModelAlias } | { version: number },
  ): Promise<RegistryVersion | undefined>;
  /**
   * The version in production of the model most recently registered from this run's pipeline: what
   * an evaluate step compares with (it does not know the model's name; the pipeline is the link).
   */
  pipelineProduction(): Promise<RegistryVersion | undefined>;
  /**
   * Points an alias at a version and appends the ledger entry (the run and its person, the reason);
   * or, for production of a model that requires approval, files a pending promotion request instead.
   */
  setAlias(input: { modelName: string; alias: ModelAlias; version: number; reason: string }): Promise<{
    from: number | null;
    to: number | null;
    changed: boolean;
    /** The model requires approval for production: nothing moved, this request waits for an operator. */
    pending?: { id: string; created: boolean };
  }>;
}

export interface RunAuthority {
  runId: string;
  pipelineId: string;
  pipelineVersionId: string;
  /** The parameter values the run was started with. */
  parameters: Record<string, unknown>;
  /**
   * The person the run acts for: who started it, or the owner of the schedule or monitor that did.
   * Null when nobody is known (a run from before accounts): such a run may not promote.
   */
  person: { userId: string | null; email: string; role: Role } | null;
  /**
   * How the person was found, for the step's summary. `local_cli`: the local CLI started it; it has
   * no account (userId null, email names the OS user) and acts as an admin, as its other commands do.
   */
  via: 'started_by' | 'schedule_owner' | 'monitor_owner' | 'local_cli' | 'nobody';
}

export interface VersionRegistration {
  modelName: string;
  task: 'classification' | 'regression';
  algorithm: string;
  signature: ModelSignature;
  output: ModelOutput;
  metrics: Record<string, number>;
  gates: unknown[];
  parameters: Record<string, unknown>;
  dataset: { sha256: string; profile: unknown } | null;
  transforms: unknown;
  reference: VersionReference;
  /** The raw training rows of the reference sample (model_files reference.json). */
  referenceSample: { columns: string[]; rows: (number | string | boolean | null)[][] };
  /**
   * The evaluate step's whole report (nodes/evaluate/report-schema.ts), stored as the version's
   * evaluation.json file; absent when there is none to record.
   */
  evaluation?: unknown;
  onnx: Uint8Array;
}

export interface RegisteredVersion {
  modelId: string;
  modelName: string;
  version: number;
  /** False when an earlier attempt of this step had already registered it. */
  created: boolean;
}

/** A registered version as steps compare with it. */
export interface RegistryVersion {
  modelName: string;
  version: number;
  task: 'classification' | 'regression';
  signature: ModelSignature;
  /** The evaluate step's test metrics recorded with the version. */
  metrics: Record<string, number>;
  /** The version's ONNX graph, read from the registry (it outlives the run's files). */
  onnx(): Promise<Uint8Array>;
}
