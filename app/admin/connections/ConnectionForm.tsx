'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type InputHTMLAttributes, type ReactNode, useId, useState } from 'react';
import { toast } from 'sonner';
import { type ConnectionInput, connectionInputSchema, sslModes } from '../../../config/connection-settings';
import { useTRPC } from '../../_trpc/client';
import type { ListedConnection } from './ConnectionsAdmin';
import { TestResult } from './TestResult';

/** The form's fields as typed: text until it is parsed on save or test. */
interface Draft {
  name: string;
  host: string;
  port: string;
  database: string;
  username: string;
  password: string;
  statementTimeoutMs: string;
  sslmode: string;
  applicationName: string;
}

function draftOf(existing: ListedConnection | undefined): Draft {
  return {
    name: existing?.name ?? '',
    host: existing?.host ?? '',
    port: String(existing?.port ?? 5432),
    database: existing?.database ?? '',
    username: existing?.username ?? '',
    password: '',
    statementTimeoutMs: existing?.options?.statementTimeoutMs?.toString() ?? '',
    sslmode: existing?.options?.sslmode ?? 'require',
    applicationName: existing?.options?.applicationName ?? '',
  };
}

type Parsed = { ok: true; input: ConnectionInput } | { ok: false; problems: Record<string, string> };

/** The draft checked by the same schema the server applies; problems keyed by field. */
function parseDraft(draft: Draft, allowsWrites: boolean): Parsed {
  const parsed = connectionInputSchema.safeParse({
    allowsWrites,
    name: draft.name,
    host: draft.host,
    port: draft.port.trim() === '' ? Number.NaN : Number(draft.port),
    database: draft.database,
    username: draft.username,
    password: draft.password === '' ? undefined : draft.password,
    options: {
      statementTimeoutMs:
        draft.statementTimeoutMs.trim() === '' ? undefined : Number(draft.statementTimeoutMs),
      sslmode: draft.sslmode,
      applicationName: draft.applicationName.trim() === '' ? undefined : draft.applicationName,
    },
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path.at(-1) ?? 'form');
    problems[field] ??= issue.code === 'invalid_type' && field === 'port' ? 'Enter the port' : issue.message;
  }
  return { ok: false, problems };
}

/** Add or edit a stored connection; an empty password keeps the stored one. "Test connection" uses the values typed. */
export function ConnectionForm({
  existing,
  onClose,
  onSaved,
}: {
  existing: ListedConnection | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(existing));
  // Apart from the draft: a yes/no, where the draft's fields are text until parsed.
  const [allowsWrites, setAllowsWrites] = useState(existing?.allowsWrites ?? false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const options = {
    onSuccess: (saved: { name: string }) => {
      toast.success(`${existing ? 'Saved' : 'Added'} connection ${saved.name}`);
      onSaved();
    },
    onError: (error: { message: string }) => setProblems({ form: error.message }),
  };
  const create = useMutation(trpc.connections.create.mutationOptions(options));
  const update = useMutation(trpc.connections.update.mutationOptions(options));
  const test = useMutation(
    trpc.connections.test.mutationOptions({
      onSuccess: (outcome) =>
        setResult(
          outcome.ok
            ? { ok: true, text: `Connected as ${outcome.role} (PostgreSQL ${outcome.serverVersion})` }
            : { ok: false, text: outcome.message },
        ),
      onError: (error) => setResult({ ok: false, text: error.message }),
    }),
  );

  const set = (field: keyof Draft) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setProblems(({ [field]: _fixed, form: _form, ...rest }) => rest);
  };

  function checked(): ConnectionInput | undefined {
    const parsed = parseDraft(draft, allowsWrites);
    if (parsed.ok) return parsed.input;
    setProblems(parsed.problems);
    return undefined;
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const input = checked();
    if (!input) return;
    if (existing) update.mutate(input);
    else create.mutate(input);
  }

  function runTest() {
    const input = checked();
    if (!input) return;
    setResult(undefined);
    const { name, ...values } = input;
    test.mutate({ name, values });
  }

  const field = (name: keyof Draft, label: string, control: ReactNode, hint?: string) => (
    <div className={`connection-field field-${name}`}>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {control}
      {hint && !problems[name] && <span className="field-hint">{hint}</span>}
      {problems[name] && (
        <span className="form-error" id={`${id}-${name}-problem`}>
          {problems[name]}
        </span>
      )}
    </div>
  );
  const input = (name: keyof Draft, props: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input
      id={`${id}-${name}`}
      value={draft[name]}
      onChange={(event) => set(name)(event.target.value)}
      aria-invalid={problems[name] ? true : undefined}
      aria-describedby={problems[name] ? `${id}-${name}-problem` : undefined}
      {...props}
    />
  );
  const saving = create.isPending || update.isPending;

  return (
    <form
      className="connection-form"
      onSubmit={save}
      aria-label={existing ? `Edit ${existing.name}` : 'New connection'}
    >
      <h2>{existing ? `Edit ${existing.name}` : 'New connection'}</h2>
      <div className="connection-grid">
        {field(
          'name',
          'Name',
          input('name', { disabled: existing !== undefined, placeholder: 'SALES_DB', autoComplete: 'off' }),
          existing
            ? 'Pipelines refer to it by this name.'
            : 'Letters, digits and _; ingest nodes choose it by name.',
        )}
        {field('host', 'Host', input('host', { placeholder: 'db.example.com', autoComplete: 'off' }))}
        {field('port', 'Port', input('port', { inputMode: 'numeric' }))}
        {field('database', 'Database', input('database', { placeholder: 'sales', autoComplete: 'off' }))}
        {field(
          'username',
          'User',
          input('username', { placeholder: 'pipewright_reader', autoComplete: 'off' }),
        )}
        {field(
          'password',
          'Password',
          input('password', {
            type: 'password',
            autoComplete: 'new-password',
            placeholder: existing?.password ? '•••••••• (unchanged)' : '',
          }),
          existing?.password ? 'Leave empty to keep the stored password.' : 'Encrypted with the secret key.',
        )}
        {field(
          'statementTimeoutMs',
          'Statement timeout (ms)',
          input('statementTimeoutMs', { inputMode: 'numeric', placeholder: '300000' }),
          'Empty: 5 minutes.',
        )}
        {field(
          'sslmode',
          'SSL',
          <select
            id={`${id}-sslmode`}
            value={draft.sslmode}
            onChange={(event) => set('sslmode')(event.target.value)}
          >
            {sslModes.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </select>,
          'verify-full checks the server certificate.',
        )}
        {field(
          'applicationName',
          'Application name',
          input('applicationName', { placeholder: 'pipewright' }),
          'Shown in pg_stat_activity.',
        )}
        <label className="connection-writes">
          <input
            type="checkbox"
            checked={allowsWrites}
            onChange={(event) => setAllowsWrites(event.target.checked)}
          />
          <span>
            <strong>Allows writes</strong>
            <span className="field-hint">
              Batch score steps may create tables and append rows through this connection, in one transaction
              per step. Ingest only ever reads. Give its user rights on the tables it should write, and no
              more.
            </span>
          </span>
        </label>
      </div>
      {problems.form && (
        <p className="form-error" role="alert">
          {problems.form}
        </p>
      )}
      {result && <TestResult ok={result.ok} text={result.text} />}
      <div className="bar-group form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : existing ? 'Save changes' : 'Add connection'}
        </button>
        <button type="button" className="secondary" disabled={test.isPending} onClick={runTest}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
