import type { ReactNode } from 'react';

/**
 * The panel a list shows instead of an empty table: what is missing, a sentence on how it comes to
 * be, and optionally one thing to do about it (a link or a button). `alert` is for a page that could
 * not be shown at all, so screen readers announce it.
 */
export function EmptyState({
  title,
  children,
  action,
  alert = false,
}: {
  title: ReactNode;
  children: ReactNode;
  action?: ReactNode;
  alert?: boolean;
}) {
  return (
    <div className="empty-state" role={alert ? 'alert' : undefined}>
      <h2>{title}</h2>
      <p>{children}</p>
      {action && <p className="empty-state-action">{action}</p>}
    </div>
  );
}
