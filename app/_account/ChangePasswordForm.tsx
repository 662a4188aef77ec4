'use client';

import { type FormEvent, useState } from 'react';
import { authClient } from './auth-client';

const MIN_PASSWORD = 10;

/** Words for a refused change: better-auth answers a wrong current password with INVALID_PASSWORD. */
function changeProblem(error: { status: number; code?: string; message?: string }): string {
  if (
    error.code === 'INVALID_PASSWORD' ||
    (error.status === 400 && /invalid password/i.test(error.message ?? ''))
  ) {
    return 'The current password is wrong: nothing was changed.';
  }
  if (error.status === 429) return 'Too many attempts from this address: wait a minute and try again.';
  if (error.code === 'PASSWORD_TOO_SHORT')
    return `The new password needs at least ${MIN_PASSWORD} characters.`;
  if (error.code === 'PASSWORD_TOO_LONG') return 'The new password is too long (at most 256 characters).';
  return error.message ?? 'Changing the password failed; try again.';
}

/** Change one's own password; every other session of the account is signed out. */
export function ChangePasswordForm() {
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    setDone(false);
    if (newPassword.length < MIN_PASSWORD) {
      setProblem(`The new password needs at least ${MIN_PASSWORD} characters.`);
      return;
    }
    if (newPassword !== String(form.get('confirmPassword') ?? '')) {
      setProblem('The two new passwords differ: type the same one twice.');
      return;
    }
    if (newPassword === currentPassword) {
      setProblem('The new password is the same as the current one.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    const result = await authClient.changePassword({
      currentPassword,
      newPassword,
      revokeOtherSessions: true,
    });
    setBusy(false);
    if (result.error) {
      setProblem(changeProblem(result.error));
      return;
    }
    formElement.reset();
    setDone(true);
  }

  return (
    <form className="panel stacked-form" onSubmit={submit} aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password (at least {MIN_PASSWORD} characters)
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
        />
      </label>
      <label>
        New password again
        <input name="confirmPassword" type="password" autoComplete="new-password" required />
      </label>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="form-success" role="status">
          Password changed. Your other sessions were signed out; this one stays signed in.
        </p>
      )}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
