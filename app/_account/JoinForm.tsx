'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../_trpc/client';
import { authClient } from './auth-client';

/** The setup link and invite links: choose a name, email and password, then sign in. */
export function JoinForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const link = useQuery(trpc.join.describe.queryOptions({ token }));
  const accept = useMutation(trpc.join.accept.mutationOptions());
  const [problem, setProblem] = useState<string>();
  // Busy from submit until the page moves on: accepting is done before signing in is.
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      setProblem('The two passwords differ.');
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const joined = await accept.mutateAsync({
        token,
        name: String(form.get('name') ?? ''),
        email: String(form.get('email') ?? ''),
        password,
      });
      const signedIn = await authClient.signIn.email({ email: joined.email, password });
      if (signedIn.error) {
        window.location.assign('/sign-in');
        return;
      }
      window.location.assign('/');
    } catch (error) {
      setBusy(false);
      setProblem(error instanceof Error ? error.message : 'Creating the account failed; try again.');
    }
  }

  if (link.isPending) return <p className="auth-card">Checking the link…</p>;
  if (link.error) return <p className="auth-card form-error">{link.error.message}</p>;
  if (link.data.state !== 'valid') {
    return (
      <section className="auth-card" aria-label="Link not usable">
        <h1>This link cannot be used</h1>
        <p className="form-error" role="alert">
          {link.data.message}
        </p>
        <a href="/sign-in">Go to sign-in</a>
      </section>
    );
  }
  const firstAdmin = link.data.kind === 'setup';
  return (
    <form
      className="auth-card"
      onSubmit={submit}
      aria-label={firstAdmin ? 'Create the first admin' : 'Accept invite'}
    >
      <h1>{firstAdmin ? 'Create the first admin account' : 'Join Pipewright'}</h1>
      <p className="muted">
        {firstAdmin
          ? 'This account can invite others, set their roles and manage keys and connections.'
          : `You are invited as ${link.data.role === 'admin' || link.data.role === 'operator' ? 'an' : 'a'} ${link.data.role}.`}
      </p>
      <label>
        Name
        <input name="name" autoComplete="name" required maxLength={100} />
      </label>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={link.data.email}
          readOnly={link.data.email !== undefined}
        />
      </label>
      <label>
        Password <span className="muted">(at least 10 characters)</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={256}
        />
      </label>
      <label>
        Password again
        <input
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={256}
        />
      </label>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? 'Creating the account…' : firstAdmin ? 'Create admin account' : 'Create account'}
      </button>
    </form>
  );
}
