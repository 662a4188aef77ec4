'use client';

import Link from 'next/link';
import { type Permission, permissionActions, permissionNeeds } from '../../access/roles';
import { EmptyState } from '../_components/EmptyState';
import { useViewer } from './use-viewer';

/** The panel a signed-in user sees on a page their role does not open, instead of an empty page. */
export function NeedsPermission({ permission, title }: { permission: Permission; title: string }) {
  const { me } = useViewer();
  return (
    <main className="list-page">
      <EmptyState
        title={`${title} needs ${permissionNeeds[permission]}`}
        action={<Link href="/">Back to the pipelines</Link>}
        alert
      >
        {me ? `You are signed in as ${me.email} with the ${me.role} role. ` : ''}
        To {permissionActions[permission]} you need {permissionNeeds[permission]}: ask an admin if you should
        have it.
      </EmptyState>
    </main>
  );
}
