/**
 * Live-status latency: `npx tsx scripts/bench/live-status.ts [--samples 200]`
 *
 * Time from a step's state change (the transaction that records it and NOTIFYs) to its arrival at a
 * client subscribed to `runs.onChange` over server-sent events, through the app's real tRPC router
 * served over HTTP on loopback. The peer is a bare LISTEN connection on the same database: the floor
 * that PostgreSQL itself sets.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { EventSource } from 'eventsource';
import postgres from 'postgres';
import superjson from 'superjson';
import { type AppRouter, appRouter } from '../../app/_server/root';
import { RunChangeFeed } from '../../app/_server/run-changes';
import { RUN_CHANGES_CHANNEL, setStepProgress, setStepRunning } from '../../db/queries/run-state';
import { runs } from '../../db/schema';
import { chainDocument, ms, openBenchSession, percentile, saveBenchPipeline } from './harness';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '200' } } });
const samples = Number(values.samples);

const session = await openBenchSession();
const { db, sql } = session.database;
const services = {
  db,
  sql,
  temporal: async () => session.temporal,
  taskQueue: session.taskQueue,
  changes: new RunChangeFeed(sql),
  dataDir: session.dataDir,
  auth: () => {
    throw new Error('the live-status benchmark calls procedures as a built-in admin, without sessions');
  },
  secretKey: () => {
    throw new Error('the live-status benchmark stores no connections');
  },
};
// The benchmark measures the change feed, not sign-in: every call is made as an admin.
const benchAdmin = {
  kind: 'user',
  userId: 'bench',
  email: 'bench@localhost',
  name: 'Benchmark',
  role: 'admin',
} as const;
const server = createHTTPServer({
  router: appRouter,
  createContext: () => ({ services, actor: benchAdmin, ipAddress: null, reauthorize: async () => true }),
});
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;

try {
  const runId = await benchRun();
  await setStepRunning(sql, { runId, nodeId: 'step1', nodeType: 'test.source', attempt: 1 });

  const sse = await measureSse(runId, port);
  const raw = await measureRawListen(runId);
  report('SSE client (tRPC runs.onChange)', sse);
  report('peer: bare LISTEN connection', raw);
  const p95 = percentile(sse, 0.95);
  console.log(
    `\n  p95 ratio SSE/peer ${(p95 / percentile(raw, 0.95)).toFixed(1)}×; goal p95 < 250 ms: ${p95 < 250 ? 'met' : 'NOT met'}`,
  );
} finally {
  server.close();
  await session.close();
}

/** A run row with one running step, whose progress the benchmark then moves. */
async function benchRun(): Promise<string> {
  const versionId = await saveBenchPipeline(session, chainDocument(1));
  const [pipelineRow] = await sql<
    { pipelineId: string }[]
  >`select pipeline_id as "pipelineId" from pipeline_versions where id = ${versionId}`;
  const runId = randomUUID();
  await db.insert(runs).values({
    id: runId,
    pipelineId: pipelineRow?.pipelineId ?? '',
    pipelineVersionId: versionId,
    workflowId: `bench-${runId}`,
    status: 'running',
  });
  return runId;
}

async function measureSse(runId: string, serverPort: number): Promise<number[]> {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({ url: `http://127.0.0.1:${serverPort}`, transformer: superjson, EventSource }),
    ],
  });
  const waiting = new Map<number, (at: number) => void>();
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const subscription = client.runs.onChange.subscribe(
    { runId },
    {
      onStarted: () => ready(),
      onData: (change) => {
        if (change.type === 'step') waiting.get(change.progress)?.(performance.now());
      },
    },
  );
  await started;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const latencies = await sample(runId, waiting);
  subscription.unsubscribe();
  return latencies;
}

async function measureRawListen(runId: string): Promise<number[]> {
  const listener = postgres(session.database.url, { max: 1, onnotice: () => {} });
  const waiting = new Map<number, (at: number) => void>();
  await listener.listen(RUN_CHANGES_CHANNEL, (payload) => {
    const change = JSON.parse(payload);
    if (change.type === 'step') waiting.get(change.progress)?.(performance.now());
  });
  const latencies = await sample(runId, waiting);
  await listener.end();
  return latencies;
}

/** Moves the step's progress `samples` times, one change at a time, timing each arrival. */
async function sample(runId: string, waiting: Map<number, (at: number) => void>): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 1; index <= samples; index++) {
    // Distinct values that survive the float4 column unchanged.
    const progress = index / 1024;
    const arrived = new Promise<number>((resolve) => waiting.set(progress, resolve));
    const startedAt = performance.now();
    await setStepProgress(sql, { runId, nodeId: 'step1', attempt: 1, progress });
    latencies.push((await withTimeout(arrived, 5_000)) - startedAt);
    waiting.delete(progress);
  }
  return latencies.sort((a, b) => a - b);
}

function withTimeout(promise: Promise<number>, timeoutMs: number): Promise<number> {
  return Promise.race([
    promise,
    new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error('change never arrived')), timeoutMs),
    ),
  ]);
}

function report(label: string, latencies: number[]): void {
  console.log(`\n${label}, ${latencies.length} changes`);
  console.log(
    `  median ${ms(percentile(latencies, 0.5))}  p95 ${ms(percentile(latencies, 0.95))}  max ${ms(latencies.at(-1) ?? 0)}`,
  );
}
