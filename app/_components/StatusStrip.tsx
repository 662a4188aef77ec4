'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';

interface Item {
  label: string;
  ok: boolean | undefined;
  detail: string;
}

/**
 * One line with the state of every service the app depends on, refreshed every five seconds. The
 * launcher restarts a crashed component and health reports it down meanwhile; while the app itself
 * restarts, nothing answers, and the strip says so instead of showing the last answer as current.
 */
export function StatusStrip() {
  const trpc = useTRPC();
  const health = useQuery({
    ...trpc.system.health.queryOptions(),
    refetchInterval: 5_000,
    // Each poll is a retry already; a failed one should show at once.
    retry: false,
  });
  const data = health.isError ? undefined : health.data;
  const items: Item[] = data
    ? [
        { label: 'Database', ok: data.database.ok, detail: data.database.detail },
        {
          label: 'Temporal',
          ok: data.temporal.ok,
          detail: `${data.temporal.address} · ${data.temporal.detail}`,
        },
        { label: 'Worker', ok: data.worker.ok, detail: data.worker.detail },
        // Shown when the app knows of a serving process (the launcher runs one, or its URL is set).
        ...(data.serving
          ? [
              {
                label: 'Serving',
                ok: data.serving.ok,
                detail: `${data.serving.url} · ${data.serving.detail}`,
              },
            ]
          : []),
      ]
    : [
        health.isError
          ? {
              label: 'App',
              ok: false,
              detail: `not answering (${health.error.message}); retrying`,
            }
          : { label: 'Services', ok: undefined, detail: 'checking…' },
      ];
  return (
    <section className="status-strip" aria-label="Service status" aria-live="polite">
      {items.map((item) => (
        <span key={item.label} className="status-item" title={`${item.label}: ${item.detail}`}>
          <span className={`status-dot ${dotClass(item.ok)}`} aria-hidden="true" />
          <strong>{item.label}</strong>
          {/* A failing component says so in a word; why, and where, is in the tooltip. */}
          <span className="status-detail">{stateWord(item.ok)}</span>
        </span>
      ))}
      {data && <span className="status-version">v{data.version}</span>}
    </section>
  );
}

function dotClass(ok: boolean | undefined): string {
  if (ok === undefined) return 'status-pending';
  return ok ? 'status-ok' : 'status-bad';
}

function stateWord(ok: boolean | undefined): string {
  if (ok === undefined) return 'checking…';
  return ok ? 'healthy' : 'down';
}
