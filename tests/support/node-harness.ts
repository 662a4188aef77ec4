import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import type { BoundNodeRun } from '../../nodes/_kit/bind-run';
import type { NodeContext } from '../../nodes/_kit/context';
import type { CommittedArtifact } from '../../nodes/_kit/local-artifacts';
import { StepArtifacts } from '../../nodes/_kit/local-artifacts';

export interface HarnessResult {
  outputs: Record<string, ArtifactRef>;
  summary: Record<string, unknown> | undefined;
  artifacts: CommittedArtifact[];
  logs: { level: string; message: string; data?: Record<string, unknown> }[];
}

/**
 * Runs a node's bound run function outside Temporal, for its run.test.ts: a temporary DATA_DIR, a
 * real local artifact store, and the log lines collected in memory.
 */
export class NodeHarness {
  readonly dataDir: string;
  private runs = 0;

  /** `parent`: where the temporary DATA_DIR goes (the system's temp folder by default). */
  constructor(parent = os.tmpdir()) {
    this.dataDir = mkdtempSync(path.join(parent, 'pipewright-node-'));
    chmodSync(this.dataDir, 0o755);
  }

  async run(
    run: BoundNodeRun,
    config: unknown,
    inputs: Record<string, ArtifactRef> = {},
    options: {
      signal?: AbortSignal;
      progress?: (fraction: number) => void;
      /** Ports a node needs (a fake monitoring port, say), added to the context. */
      ports?: Pick<NodeContext, 'monitoring' | 'registry' | 'retraining' | 'connections'>;
    } = {},
  ): Promise<HarnessResult> {
    const nodeId = `node${++this.runs}`;
    const artifacts = new StepArtifacts(path.join(this.dataDir, 'artifacts'), 'test-run', nodeId, 1);
    await artifacts.prepare();
    const logs: HarnessResult['logs'] = [];
    const logger = (level: string) => (message: string, data?: Record<string, unknown>) =>
      logs.push({ level, message, data });
    const result = await run(
      { config, inputs },
      {
        runId: 'test-run',
        nodeId,
        attempt: 1,
        dataDir: this.dataDir,
        artifacts,
        log: { info: logger('info'), warn: logger('warn'), error: logger('error') },
        progress: options.progress ?? (() => {}),
        signal: options.signal ?? new AbortController().signal,
        ...options.ports,
      },
    );
    return { outputs: result.outputs, summary: result.summary, artifacts: artifacts.committed, logs };
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
