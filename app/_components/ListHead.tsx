import type { ReactNode } from 'react';

/**
 * The top of a list page: its title, the sentence under it on what the page holds (the children),
 * and the page's own buttons, if any, on the right.
 */
export function ListHead({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="list-head">
      <div>
        <h1>{title}</h1>
        <p className="muted page-lead">{children}</p>
      </div>
      {actions}
    </div>
  );
}
