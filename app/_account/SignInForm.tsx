'use client';

import { type FormEvent, useState } from 'react';
import { authClient } from './auth-client';
import { safeNext } from './safe-next';

/** Words for a refused sign-in; the limits say themselves when they were hit. */
function signInProblem(status: number, message: string | undefined, retryAfter: string | null): string {
  if (status === 429) {
    // The per-account limits name the account; better-auth's per-address limit says only "too many".
    if (message?.includes('sign-ins for ')) return message;
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? `${Math.ceil(seconds)} seconds` : 'a minute';
    return `Too many sign-in attempts from this address: try again in ${wait}.`;
  }
  if (status === 401) return 'That email and password do not match an account.';
  if (status === 403) return message ?? 'This account cannot sign in.';
  return message ?? 'Signing in failed; try again.';
}

export function SignInForm({ next }: { next?: string }) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(undefined);
    let retryAfter: string | null = null;
    const result = await authClient.signIn.email(
      { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      {
        onError: (context) => {
          retryAfter = context.response.headers.get('x-retry-after');
        },
      },
    );
    setBusy(false);
    if (result.error) {
      setProblem(signInProblem(result.error.status, result.error.message, retryAfter));
      return;
    }
    window.location.assign(safeNext(next, window.location.origin));
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-label="Sign in">
      <h1>Sign in to Pipewright</h1>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">No account? Ask an admin of this Pipewright for an invite link.</p>
    </form>
  );
}
