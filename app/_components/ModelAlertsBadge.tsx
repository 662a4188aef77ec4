'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';

/** Alerts open and close with scheduled checks, minutes apart at the most: this keeps the badge fresh enough. */
const REFRESH_MS = 60_000;

/**
 * The count of open model alerts beside the navigation's Models link: warnings and alerts both
 * count (each is an open condition someone should look at), the badge turning red when any is an
 * alert rather than a warning. Nothing shows while none is open.
 */
export function ModelAlertsBadge() {
  const trpc = useTRPC();
  const open = useQuery({ ...trpc.monitoring.openCount.queryOptions(), refetchInterval: REFRESH_MS });
  const count = (open.data?.alert ?? 0) + (open.data?.warn ?? 0);
  if (count === 0) return null;
  const label = `${count} open model alert${count === 1 ? '' : 's'}`;
  return (
    <span
      className={`nav-badge ${(open.data?.alert ?? 0) > 0 ? 'nav-badge-alert' : 'nav-badge-warn'}`}
      title={`${label}: ${open.data?.alert ?? 0} alert, ${open.data?.warn ?? 0} warning`}
      data-testid="model-alerts-badge"
    >
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">{` ${label}`}</span>
    </span>
  );
}
