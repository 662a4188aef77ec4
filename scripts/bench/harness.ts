import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readEnv } from '../../config/env';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { createPipeline } from '../../db/queries/pipelines';
import type { PipelineDocument } from '../../pipeline/document';
import { startInProcessWorker } from '../../runtime/in-process-worker';
import {
  localServicePaths,
  migrateDatabase,
  startLocalPostgres,
  startLocalServices,
} from '../../runtime/local-services';
import { runOfWithTestNodes } from '../../tests/support/nodes/registry';
import { PIPELINE_TASK_QUEUE } from '../../workflows/task-queue';

export interface BenchSession {
  dataDir: string;
  database: DatabaseHandle;
  temporal: Client;
  taskQueue: string;
  close(): Promise<void>;
}

/**
 * Fresh embedded services for a benchmark: PostgreSQL, the Temporal dev server and an in-process
 * worker in a temporary DATA_DIR, started by the same runtime module as `pipewright run --wait`.
 */
export async function openBenchSession(): Promise<BenchSession> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-'));
  chmodSync(dataDir, 0o755);
  const env = readEnv({ DATA_DIR: dataDir, TEMPORAL_CLI: process.env.TEMPORAL_CLI });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const services = await startLocalServices({
    dataDir,
    namespace: env.TEMPORAL_NAMESPACE,
    temporalCli: env.TEMPORAL_CLI,
    // As `pipewright run --wait` does: history in a SQLite file, so the figures compare.
    keepHistory: true,
    log: (line) => console.error(line),
  });
  const database = connectDatabase(services.databaseUrl, { max: 4 });
  const connection = await Connection.connect({ address: services.temporalAddress });
  const worker = await startInProcessWorker({
    temporalAddress: services.temporalAddress,
    namespace: env.TEMPORAL_NAMESPACE,
    sql: database.sql,
    dataDir,
    taskQueue: PIPELINE_TASK_QUEUE,
    // The benchmarks' pipelines are chains of the test-only no-op nodes.
    runOf: runOfWithTestNodes,
  });
  return {
    dataDir,
    database,
    temporal: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }),
    taskQueue: PIPELINE_TASK_QUEUE,
    async close() {
      await worker.stop();
      await connection.close();
      await database.close();
      await services.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchDatabase {
  database: DatabaseHandle;
  /**
   * Pins the PostgreSQL server and its backends (and those it forks later) to one core, so its work
   * does not land on the core of the process a benchmark measures; `idle` runs them at idle
   * priority, so they yield that core to whatever else runs on it.
   */
  pinTo(core: number, pinning?: { idle?: boolean }): void;
  close(): Promise<void>;
}

/** A fresh, migrated embedded PostgreSQL alone (no Temporal) in a temporary DATA_DIR. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-'));
  chmodSync(dataDir, 0o755);
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const postgres = await startLocalPostgres({ dataDir, logDir });
  try {
    await migrateDatabase(postgres.url);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  const database = connectDatabase(postgres.url, { max: 4 });
  return {
    database,
    pinTo(core, pinning = {}) {
      const pidFile = path.join(localServicePaths(dataDir).postgresDir, 'postmaster.pid');
      const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0]?.trim() ?? '';
      if (!/^\d+$/.test(postmaster)) throw new Error(`No postmaster pid in ${pidFile}`);
      const children = spawnSync('pgrep', ['-P', postmaster], { encoding: 'utf8' }).stdout.split('\n');
      // Backends started later are forked from the postmaster and inherit both settings.
      for (const pid of [postmaster, ...children].filter((each) => /^\d+$/.test(each))) {
        spawnSync('taskset', ['-a', '-p', '-c', String(core), pid], { stdio: 'ignore' });
        if (pinning.idle) spawnSync('chrt', ['--idle', '-a', '-p', '0', pid], { stdio: 'ignore' });
      }
    },
    async close() {
      await database.close();
      await postgres.stop();
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

export async function saveBenchPipeline(session: BenchSession, document: PipelineDocument): Promise<string> {
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
