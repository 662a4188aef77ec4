'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { useViewer } from '../_account/use-viewer';
import { AccountMenu } from './AccountMenu';
import { AdminMenu } from './AdminMenu';
import { ModelAlertsBadge } from './ModelAlertsBadge';
import { NotificationBell } from './NotificationBell';
import { StatusStrip } from './StatusStrip';

/** The frame of every signed-in page: brand, navigation by role, status strip, notifications and the account menu. */
export function AppShell({ children }: { children: ReactNode }) {
  const { may } = useViewer();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Pipewright
        </Link>
        <nav className="top-nav" aria-label="Main">
          <Link href="/">Pipelines</Link>
          <Link href="/runs">Runs</Link>
          <Link href="/schedules">Schedules</Link>
          <Link href="/models" className="nav-with-badge">
            Models
            <ModelAlertsBadge />
          </Link>
          <Link href="/keys">API keys</Link>
          {may('admin') && <AdminMenu />}
        </nav>
        <StatusStrip />
        <NotificationBell />
        <AccountMenu />
      </header>
      {children}
    </div>
  );
}
