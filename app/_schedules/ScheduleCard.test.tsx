import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { renderToStaticMarkup } from 'react-dom/server';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../_server/root';
import { TRPCProvider } from '../_trpc/client';
import { ScheduleCard } from './ScheduleCard';
import type { ScheduleItem } from './ScheduleDialog';

const schedule: ScheduleItem = {
  id: '7f8a3c1e-0000-4000-8000-000000000001',
  pipelineId: '7f8a3c1e-0000-4000-8000-000000000002',
  pipelineName: 'Nightly scoring',
  name: 'Every day at 06:00',
  description: '',
  timing: { kind: 'cron', expression: '0 6 * * *', timezone: 'UTC' },
  timingText: 'Every day at 06:00',
  parameters: {},
  pipelineVersionId: null,
  pinnedVersion: null,
  overlap: 'skip',
  catchupWindowSeconds: 300,
  paused: false,
  note: '',
  inTemporal: true,
  nextRuns: [],
  lastRun: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
};

/** The card as the server renders it; its mutations are never called, so the client goes nowhere. */
function rendered(item: ScheduleItem): string {
  const queryClient = new QueryClient();
  const trpcClient = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: 'http://127.0.0.1:9/api/trpc', transformer: superjson })],
  });
  return renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ScheduleCard schedule={item} canManage={false} onEdit={() => {}} />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

describe("the editor's schedule card", () => {
  it('says "Missing in Temporal" as the Schedules page does when Temporal has lost the schedule', () => {
    expect(rendered({ ...schedule, inTemporal: false })).toContain(
      '<div class="error-text schedule-sub" title="Recreated from the database when the worker next starts">Missing in Temporal</div>',
    );
  });

  it('says nothing of Temporal while the schedule is there', () => {
    const html = rendered(schedule);
    expect(html).toContain('Every day at 06:00');
    expect(html).not.toContain('Missing in Temporal');
  });
});
