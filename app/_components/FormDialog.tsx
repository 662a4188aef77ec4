'use client';

import type { ReactNode } from 'react';

/**
 * The classes of each look: the editor's dialog (Run, schedules), or the model pages' confirmation,
 * which spaces its parts evenly. Their stylesheets load with their pages.
 */
const looks = {
  dialog: { backdrop: 'dialog-backdrop', frame: 'dialog', actions: 'dialog-actions' },
  confirm: { backdrop: 'confirm-backdrop', frame: 'confirm-dialog', actions: 'confirm-actions' },
} as const;

/**
 * A modal form over a dimmed page, named by its title: Escape closes it, Enter or the submit button
 * submits it, and a problem shows above the buttons. A dialog that only shows a result submits to
 * close (as `<form method="dialog">` does).
 */
export function FormDialog({
  titleId,
  title,
  look = 'dialog',
  className,
  problem,
  actions,
  onSubmit,
  onClose,
  children,
}: {
  /** The heading's id, which names the dialog for assistive technology and tests. */
  titleId: string;
  title: string;
  look?: keyof typeof looks;
  /** Added to the frame's class, for a dialog's own layout. */
  className?: string;
  problem?: string;
  /** The buttons, in order; one of them submits. */
  actions: ReactNode;
  onSubmit: () => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const classes = looks[look];
  return (
    <div className={classes.backdrop}>
      <form
        className={className ? `${classes.frame} ${className}` : classes.frame}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
        <div className={classes.actions}>{actions}</div>
      </form>
    </div>
  );
}
