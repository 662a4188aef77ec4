import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSession, type Session } from '../../cli/session';
import { readEnv } from '../../config/env';
import { createPipeline } from '../../db/queries/pipelines';
import type { PipelineDocument } from '../../pipeline/document';
import { runOfWithTestNodes } from '../../tests/support/nodes/registry';

/**
 * Fresh embedded services for a benchmark: PostgreSQL, the Temporal dev server and an in-process
 * worker in a temporary DATA_DIR, exactly as `pipewright run --wait` starts them.
 */
export async function openBenchSession(): Promise<Session & { dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-'));
  chmodSync(dataDir, 0o755);
  const env = readEnv({ DATA_DIR: dataDir });
  // The benchmarks' pipelines are chains of the test-only no-op nodes.
  const session = await openSession(env, {
    startIfMissing: true,
    log: (line) => console.error(line),
    runOf: runOfWithTestNodes,
  });
  return {
    ...session,
    dataDir,
    async close() {
      await session.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** source → transform × (length − 1), each step a no-op. */
export function chainDocument(length: number): PipelineDocument {
  const ids = Array.from({ length }, (_, index) => `step${index + 1}`);
  return {
    schemaVersion: 1,
    nodes: ids.map((id, index) => ({
      id,
      type: index === 0 ? 'test.source' : 'test.transform',
      label: '',
      position: { x: index * 200, y: 0 },
      config: {},
    })),
    edges: ids.slice(1).map((id, index) => ({
      id: `e${index}`,
      source: { node: ids[index] ?? '', port: 'out' },
      target: { node: id, port: 'in' },
    })),
    parameters: [],
    notes: [],
  };
}

export async function saveBenchPipeline(session: Session, document: PipelineDocument): Promise<string> {
  const { version } = await createPipeline(session.database.db, {
    name: `bench ${Date.now()}`,
    graph: document,
  });
  return version.id;
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
