'use client';

import type { inferRouterOutputs } from '@trpc/server';
import { type FormEvent, useState } from 'react';
import type { SignatureColumn } from '../../registry/version-schema';
import type { AppRouter } from '../_server/root';
import { type EndpointTarget, predictPath } from './endpoint';
import { TryItAnswer } from './TryItAnswer';
import { answerOf, type FormValues, fieldKind, initialValues, rowOf, type TryAnswer } from './try-it';

/** A version the form can ask, with its signature, as models.show answers it. */
export type TryableVersion = inferRouterOutputs<AppRouter>['models']['show']['tryable'][number];

function endpointTarget(tryable: TryableVersion): EndpointTarget {
  return tryable.target === 'version' ? { version: tryable.version } : { alias: tryable.target };
}

function targetLabel(tryable: TryableVersion): string {
  return tryable.target === 'version'
    ? `version ${tryable.version} (latest)`
    : `${tryable.target} (version ${tryable.version})`;
}

/**
 * A form generated from a version's signature (numbers, category selects, yes/no, text) that sends
 * one row through the app's /api/v1/models/… route (forwarded to serving with an internal
 * credential) and shows the answer: the label with its probabilities as bars, or the value, or
 * what was wrong, by column.
 */
export function TryItPanel({ name, tryable }: { name: string; tryable: TryableVersion[] }) {
  const [index, setIndex] = useState(0);
  const chosen = tryable[index] ?? tryable[0];
  return (
    <section className="panel" aria-labelledby="try-heading">
      <h2 id="try-heading">Try it</h2>
      {chosen ? (
        <TryForm
          key={`${chosen.target}-${chosen.version}`}
          name={name}
          tryable={chosen}
          picker={
            tryable.length > 1 ? (
              <label className="try-target">
                Version
                <select value={index} onChange={(event) => setIndex(Number(event.target.value))}>
                  {tryable.map((each, position) => (
                    <option key={`${each.target}-${each.version}`} value={position}>
                      {targetLabel(each)}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <p className="muted form-hint">Asks {targetLabel(chosen)}.</p>
            )
          }
        />
      ) : (
        <p className="muted">This model has no version with a signature to try.</p>
      )}
    </section>
  );
}

function TryForm({
  name,
  tryable,
  picker,
}: {
  name: string;
  tryable: TryableVersion;
  picker: React.ReactNode;
}) {
  const [values, setValues] = useState<FormValues>(() => initialValues(tryable.signature));
  const [answer, setAnswer] = useState<TryAnswer>();
  const [pending, setPending] = useState(false);
  const problemOf = (column: string) =>
    answer && !answer.ok ? answer.problems.find((problem) => problem.column === column) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    try {
      const response = await fetch(predictPath(name, endpointTarget(tryable)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: [rowOf(tryable.signature, values)] }),
      });
      const body: unknown = await response.json().catch(() => undefined);
      setAnswer(answerOf(response.status, body));
    } catch {
      setAnswer({
        ok: false,
        status: 0,
        message: 'The app did not answer; check your connection.',
        problems: [],
      });
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="try-form" onSubmit={submit} aria-label={`Try ${name}`}>
      {picker}
      <div className="try-fields">
        {tryable.signature.inputs.map((column) => (
          <Field
            key={column.name}
            column={column}
            value={values[column.name] ?? ''}
            problem={problemOf(column.name)?.message}
            onChange={(value) => setValues((current) => ({ ...current, [column.name]: value }))}
          />
        ))}
      </div>
      <div className="form-actions try-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Predicting…' : 'Predict'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setValues(initialValues(tryable.signature));
            setAnswer(undefined);
          }}
        >
          Reset
        </button>
      </div>
      {answer && <TryItAnswer answer={answer} />}
    </form>
  );
}

function Field({
  column,
  value,
  problem,
  onChange,
}: {
  column: SignatureColumn;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = `try-${column.name}`;
  const kind = fieldKind(column);
  const invalid = problem !== undefined;
  return (
    <div className={invalid ? 'try-field try-field-invalid' : 'try-field'}>
      <label htmlFor={id} title={column.name}>
        {column.name}
      </label>
      {kind === 'category' ? (
        <select
          id={id}
          value={value}
          aria-invalid={invalid}
          onChange={(event) => onChange(event.target.value)}
        >
          {column.nullable && <option value="">(missing)</option>}
          {(column.categories ?? []).map((category) => (
            <option key={category} value={category}>
              {category}
            </option>
          ))}
        </select>
      ) : kind === 'boolean' ? (
        <select
          id={id}
          value={value}
          aria-invalid={invalid}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="true">true</option>
          <option value="false">false</option>
          {column.nullable && <option value="">(missing)</option>}
        </select>
      ) : (
        <input
          id={id}
          type="text"
          inputMode={kind === 'number' ? 'decimal' : undefined}
          value={value}
          aria-invalid={invalid}
          placeholder={`${kind === 'number' ? 'number' : 'text'}${column.nullable ? ' · empty = missing' : ''}`}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {problem && <span className="form-error try-problem">{problem}</span>}
    </div>
  );
}
