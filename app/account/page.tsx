import { AccountDetails } from '../_account/AccountDetails';
import { ChangePasswordForm } from '../_account/ChangePasswordForm';
import { AppShell } from '../_components/AppShell';

/** The signed-in user's own account: who they are, their password, signing out. */
export default function AccountPage() {
  return (
    <AppShell>
      <main className="list-page narrow-page">
        <div className="list-head">
          <h1>Your account</h1>
        </div>
        <AccountDetails />
        <ChangePasswordForm />
      </main>
    </AppShell>
  );
}
