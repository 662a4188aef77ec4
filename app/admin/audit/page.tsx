import { AuditLog } from '../../_audit/AuditLog';
import { AppShell } from '../../_components/AppShell';

export const metadata = { title: 'Audit log · Pipewright' };

export default function AuditPage() {
  return (
    <AppShell>
      <AuditLog />
    </AppShell>
  );
}
