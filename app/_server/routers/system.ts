import { appHealth } from '../app-health';
import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  health: publicProcedure.query(() => appHealth()),
});
