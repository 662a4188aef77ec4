import type {
  ModelAlias,
  ModelSignature,
  ReferenceSample,
  VersionReference,
} from '../../registry/version-schema';
import type { Condition } from '../_data/condition';
import type { TransformSpec } from '../_data/transform-spec';

/**
 * Model monitoring as a step sees it (NodeContext.monitoring): the registry's reference of a
 * version, the prediction log of a window, and the record of checks and alerts. The worker
 * implements it on the database (workflows/monitoring-port.ts), bound to one run and step: the run,
 * the step and the monitoring pipeline are filled in by the port, never by the node.
 */
export interface MonitoringPort {
  /**
   * When the run started: the end of a "last N hours" window, so that a retried attempt reads the
   * same window as the first.
   */
  runStartedAt(): Promise<Date>;
  /**
   * Where this step's previous check (an earlier run of the same pipeline) ended its window: the
   * start of an "everything since the last check" window. Null before the first check.
   */
  lastCheckEnd(): Promise<Date | null>;
  /**
   * The version of the named model that an alias points at (production unless asked otherwise) or
   * a numbered version, as registered: its signature and its reference for monitoring.
   */
  findVersion(modelName: string, which?: VersionChoice): Promise<VersionLookup>;
  /**
   * The logged predictions of a model in [from, to) as columns: the inputs by name (rows of
   * versions with the same input columns as the signature only), the latency and the answers.
   */
  readLog(request: LogWindowRequest): Promise<LoggedWindow>;
  /**
   * As readLog, but only the predictions that have feedback, with their true labels or values
   * (which may have arrived days after the window).
   */
  readLabelledLog(request: LogWindowRequest): Promise<LabelledWindow>;
  /** Records a check of this step; a retried attempt replaces its earlier attempt's check. */
  recordCheck(check: CheckRecord): Promise<{ checkId: string }>;
  /**
   * Brings this step's alerts in line with a check: a subject in warn or alert opens an alert, or
   * keeps (and updates) the one already open; an open alert whose subject is ok, or absent from
   * the check, is closed. A continuing condition never raises a second alert.
   */
  syncAlerts(input: AlertSync): Promise<AlertChanges>;
}

export type VersionChoice = { alias: ModelAlias } | { version: number };

export type VersionLookup =
  | { status: 'found'; version: MonitoredVersion }
  | { status: 'no-model' }
  | { status: 'no-version' };

export interface MonitoredVersion {
  modelId: string;
  /** As the registry spells it. */
  modelName: string;
  version: number;
  signature: ModelSignature;
  /** Per input column: numbers' deciles over all training rows, categories' frequencies. */
  reference: VersionReference;
  /** The evaluate step's figures on the test rows when the version was registered. */
  testMetrics: Record<string, number>;
  /** The target column the version was trained to predict, as its train step named it; undefined if unknown. */
  target?: string;
  /** The raw training rows kept at registration (up to 10,000); undefined when none were kept. */
  referenceSample(): Promise<ReferenceSample | undefined>;
  /** The transforms in front of the model, as registered: slice conditions name their columns. */
  transforms: TransformSpec;
  /**
   * The slices of the evaluate step whose report the version was registered with (its pipeline
   * version's graph); none for an imported version or when that pipeline version is gone.
   */
  slices(): Promise<VersionSlice[]>;
}

/** A slice as the evaluate node defines it: a name and a condition on the data evaluate measured. */
export interface VersionSlice {
  name: string;
  condition: Condition;
}

export interface LogWindowRequest {
  modelId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  signature: ModelSignature;
  /** Only the rows this version answered (performance is judged against one version's figures). */
  onlyVersion?: number;
}

/** One value per logged row: numbers (booleans 1/0) with NaN for missing, text with null. */
export type LoggedColumn = Float64Array | (string | null)[];

export interface LoggedWindow {
  rows: number;
  /** The versions whose rows were read, ascending. */
  versions: number[];
  /** Input name → its values, in the signature's order. */
  columns: Map<string, LoggedColumn>;
  latencyMs: Float64Array;
  /** The label as the log spells it (numbers and booleans as text), or the regression value. */
  predictions:
    | { task: 'classification'; labels: (string | null)[] }
    | { task: 'regression'; values: Float64Array };
}

export interface LabelledWindow extends LoggedWindow {
  /** The true label (as the feedback spells it) or value of each row. */
  truth: LoggedWindow['predictions'];
}

export type CheckState = 'ok' | 'warn' | 'alert';

export interface CheckRecord {
  modelId: string;
  /** The version watched: its inputs are the features compared (and its reference, unless a dataset). */
  version: number | null;
  /** Null when the current side was a dataset input. */
  window: { from: Date; to: Date } | null;
  referenceRows: number;
  currentRows: number;
  state: CheckState;
  /** Per feature: ml/drift's statistics and state. */
  features: unknown;
  /** Prediction drift, volume and latency. */
  modelStats: unknown;
  /** Quality on the window's predictions with feedback; null when not measured. */
  performance: unknown;
}

export interface AlertSubject {
  /** 'dataset', a feature's name, or a metric's. */
  subject: string;
  kind: 'drift' | 'performance';
  state: CheckState;
}

export interface AlertSync {
  modelId: string;
  checkId: string;
  subjects: readonly AlertSubject[];
  /**
   * Kinds this check could not judge (performance with too few labelled predictions): their open
   * alerts stay as they are, neither closed nor updated, so late labels do not make them flap.
   */
  unjudgedKinds?: readonly ('drift' | 'performance')[];
}

export interface AlertChanges {
  opened: AlertChange[];
  kept: AlertChange[];
  closed: AlertChange[];
}

export interface AlertChange {
  alertId: string;
  subject: string;
  /** A feature and a metric may share a name: the kind tells them apart. */
  kind: 'drift' | 'performance';
  /** The state after the check; for a closed alert, the state it had when it closed. */
  state: 'warn' | 'alert';
}
