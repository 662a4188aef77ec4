'use client';

import type { ReactNode } from 'react';
import { toast } from 'sonner';

/**
 * A secret shown once (an invite link, a new API key): what it is, the value ready to select or
 * copy, and Done to put it away for good.
 */
export function OneTimeSecret({
  label,
  what,
  value,
  onDone,
  children,
}: {
  /** The field's accessible name, e.g. "Invite link". */
  label: string;
  /** What the Copy toast and the fallback hint call it, e.g. "link" or "key". */
  what: string;
  value: string;
  onDone: () => void;
  /** The sentence above the value: whose it is and for how long it works. */
  children: ReactNode;
}) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`${label} copied`);
    } catch {
      toast.error(`The browser did not allow copying: select the ${what} and copy it by hand.`);
    }
  }
  return (
    <div className="one-time-secret" role="status">
      <p>{children}</p>
      <div className="secret-row">
        <input readOnly value={value} aria-label={label} onFocus={(event) => event.target.select()} />
        <button type="button" className="primary" onClick={copy}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
