import { countUsers } from '../../db/queries/users';
import { AuthPage } from '../_account/AuthPage';
import { SignInForm } from '../_account/SignInForm';
import { database } from '../_server/db';

export const dynamic = 'force-dynamic';

/** Sign-in; before the first account exists, the explanation of the setup link instead. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const users = await countUsers(database().db);
  return <AuthPage>{users === 0 ? <SetupNeeded /> : <SignInForm next={next} />}</AuthPage>;
}

function SetupNeeded() {
  return (
    <section className="auth-card" aria-label="Finish setting up">
      <h1>Finish setting up Pipewright</h1>
      <p>Nobody has an account yet. The first account is an admin, created from a one-time link:</p>
      <ol>
        <li>
          Look at the terminal where <code>npm start</code> runs: it printed a line starting{' '}
          <code>No account yet.</code> and a link below it.
        </li>
        <li>Open that link (it is valid for one hour) and choose your email and password.</li>
      </ol>
      <p className="muted">
        The link expired or got lost? Stop <code>npm start</code> with Ctrl-C and start it again: each start
        prints a new link while nobody has an account. For automation,{' '}
        <code>npx pipewright users create</code> makes an account without a link.
      </p>
    </section>
  );
}
