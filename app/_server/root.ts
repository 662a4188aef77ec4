import { accountRouter } from './routers/account';
import { artifactsRouter } from './routers/artifacts';
import { auditRouter } from './routers/audit';
import { connectionsRouter } from './routers/connections';
import { datasetsRouter } from './routers/datasets';
import { joinRouter } from './routers/join';
import { keysRouter } from './routers/keys';
import { modelsRouter } from './routers/models';
import { monitoringRouter } from './routers/monitoring';
import { notificationsRouter } from './routers/notifications';
import { pipelinesRouter } from './routers/pipelines';
import { retentionRouter } from './routers/retention';
import { rolloutRouter } from './routers/rollout';
import { runCompareRouter } from './routers/run-compare';
import { runHistoryRouter } from './routers/run-history';
import { runsRouter } from './routers/runs';
import { schedulesRouter } from './routers/schedules';
import { systemRouter } from './routers/system';
import { usersRouter } from './routers/users';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  pipelines: pipelinesRouter,
  runs: runsRouter,
  history: runHistoryRouter,
  datasets: datasetsRouter,
  artifacts: artifactsRouter,
  account: accountRouter,
  join: joinRouter,
  audit: auditRouter,
  users: usersRouter,
  connections: connectionsRouter,
  keys: keysRouter,
  models: modelsRouter,
  monitoring: monitoringRouter,
  runCompare: runCompareRouter,
  retention: retentionRouter,
  rollout: rolloutRouter,
  notifications: notificationsRouter,
  schedules: schedulesRouter,
});

export type AppRouter = typeof appRouter;
