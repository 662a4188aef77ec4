import type { ConnectionLookup } from '../../config/connection-settings';
import type { ArtifactRef } from './artifact-ref';
import type { MonitoringPort } from './monitoring-port';
import type { PortKind, Ports } from './ports';
import type { RegistryPort } from './registry-port';
import type { RetrainingPort } from './retraining-port';

/** What the artifacts row records beside the file: a dataset's schema and profile. */
export interface ArtifactMeta {
  schema?: unknown;
  profile?: unknown;
}

export interface StoredArtifact {
  ref: ArtifactRef;
  path: string;
  bytes: number;
  sha256: string;
}

/** Where steps put their outputs; each write becomes an artifacts row when the step succeeds. */
export interface ArtifactWriter {
  /** A fresh local path for an output port; write the file there, then call `commit`. */
  pathFor(port: string, extension: string): string;
  /**
   * Meta may still be in the making: the file's checksum is computed while it is (hashing a large
   * dataset takes as long as profiling it, and the two run side by side).
   */
  commit(
    port: string,
    kind: PortKind,
    path: string,
    meta?: ArtifactMeta | Promise<ArtifactMeta>,
  ): Promise<StoredArtifact>;
  /** Local path of an input artifact. */
  localPath(ref: ArtifactRef): string;
}

export interface NodeLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface NodeContext {
  runId: string;
  nodeId: string;
  attempt: number;
  /** DATA_DIR: server-side files a node may read must lie inside it. */
  dataDir: string;
  artifacts: ArtifactWriter;
  log: NodeLogger;
  /** Fraction done, 0..1; shown live on the canvas and sent as the activity heartbeat. */
  progress(fraction: number): void;
  /** Aborted when the run is cancelled; long loops check it and stop promptly. */
  signal: AbortSignal;
  /**
   * Stored connections by name, passwords decrypted (the worker reads them from the database). Absent
   * where there is no database (benchmarks, unit harnesses): only PIPEWRIGHT_CONNECTION_* are known.
   */
  connections?: ConnectionLookup;
  /**
   * The model registry, bound to this run and step and acting for the run's person (deploy registers
   * and promotes; evaluate compares with production). Absent where there is no database.
   */
  registry?: RegistryPort;
  /**
   * Model monitoring, bound to this run and step: the registry's reference of a version, the
   * prediction log, and the record of checks and alerts. Absent where there is no database.
   */
  monitoring?: MonitoringPort;
  /**
   * Starting a retraining run for a check's alerts (trigger `monitor`, linked from the alerts),
   * bound to this run and step. Absent where there is no database or Temporal.
   */
  retraining?: RetrainingPort;
}

/** What a step reports beside its outputs: figures shown on the canvas and printed by the CLI. */
export interface StepSummary {
  metrics?: Record<string, number>;
  rows?: number;
  [key: string]: unknown;
}

export type InputRefs<I extends Ports> = {
  [K in keyof I]: I[K]['optional'] extends true ? ArtifactRef | undefined : ArtifactRef;
};
export type OutputRefs<O extends Ports> = { [K in keyof O]: ArtifactRef };
