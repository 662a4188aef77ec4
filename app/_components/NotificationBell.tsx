'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../_trpc/client';
import { EVENT_LABELS } from './notification-events';

/** The feed is small and cheap to read; a new failure shows within this long without a reload. */
const REFRESH_MS = 30_000;

/**
 * The bell in the top bar: how many notifications the signed-in user has not seen, and the latest
 * ones. Opening the list marks everything read (the read state is one mark per user); the items
 * that were unread stay highlighted while it is open.
 */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // What was unread when the list opened stays highlighted while it is open, though marked read.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const panel = useRef<HTMLDivElement>(null);
  const feed = useQuery({
    ...trpc.notifications.list.queryOptions({ limit: 20 }),
    refetchInterval: REFRESH_MS,
  });
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
    }),
  );
  const unread = feed.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    // Escape, or a click outside the bell and its list, closes the list.
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent) {
        if (event.key === 'Escape') setOpen(false);
        return;
      }
      if (event.target instanceof Node && panel.current?.contains(event.target)) return;
      setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  function toggle() {
    const opening = !open;
    setOpen(opening);
    if (!opening || unread === 0) return;
    setFresh(new Set(feed.data?.items.filter((item) => !item.read).map((item) => item.id)));
    markRead.mutate();
  }

  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="bell-button"
        aria-label={unread ? `Notifications: ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        onClick={toggle}
      >
        <BellIcon />
        {unread > 0 && <span className="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label="Notifications">
          <div className="bell-head">Notifications</div>
          {feed.data?.items.length ? (
            <ul className="bell-list">
              {feed.data.items.map((item) => (
                <li
                  key={item.id}
                  className={item.read && !fresh.has(item.id) ? 'bell-item' : 'bell-item bell-unread'}
                >
                  <Link href={feedLink(item)} onClick={() => setOpen(false)}>
                    <span className={`bell-event bell-${item.event}`}>{EVENT_LABELS[item.event]}</span>
                    <span className="bell-pipeline">{item.pipelineName}</span>
                    <span className="bell-time">{item.createdAt.toLocaleString()}</span>
                    <span className="bell-message" title={item.message}>
                      {item.message}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="bell-empty">
              {feed.isLoading
                ? 'Loading…'
                : 'Nothing to report. Failed runs, blocked gates, skipped or missed schedule starts and model alerts appear here.'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** Where an item leads: a model alert to its model's Monitoring tab, a run to the run, else the pipeline. */
function feedLink(item: { pipelineId: string; runId: string | null; modelName: string | null }): string {
  if (item.modelName) return `/models/${encodeURIComponent(item.modelName)}?tab=monitoring`;
  if (item.runId) return `/pipelines/${item.pipelineId}?run=${item.runId}`;
  return `/pipelines/${item.pipelineId}`;
}

function BellIcon() {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" strokeLinejoin="round" />
      <path d="M10.3 20a1.9 1.9 0 0 0 3.4 0" strokeLinecap="round" />
    </svg>
  );
}
