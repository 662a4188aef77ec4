'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type KeyScope,
  keyScopeSchema,
  keyScopes,
  permissionNeeds,
  type Role,
  roleMayHoldScope,
} from '../../access/roles';

import { useTRPC } from '../_trpc/client';
import { OneTimeSecret } from './OneTimeSecret';

/** What each scope lets a key do, for the select. */
const scopeWords: Record<KeyScope, string> = {
  read: 'read: pipelines, runs and models',
  run: 'run: read, and start or cancel runs',
  predict: 'predict: ask models for predictions',
  admin: 'admin: everything its owner may do',
};

const scopeTitles: Record<KeyScope, string> = {
  read: 'Read',
  run: 'Run',
  predict: 'Predict',
  admin: 'Admin',
};

interface NewKey {
  key: string;
  start: string;
  name: string;
  scope: KeyScope;
}

/** Create a key for oneself; the new key is shown once, with Copy, until dismissed. */
export function KeyCreateForm({ role }: { role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const allowed = keyScopes.filter((scope) => roleMayHoldScope(role, scope));
  const [name, setName] = useState('');
  const [scope, setScope] = useState<KeyScope>(allowed[0] ?? 'read');
  const [models, setModels] = useState('');
  const [made, setMade] = useState<NewKey>();
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (answer) => {
        setMade({ key: answer.key, start: answer.start, name: answer.name, scope: answer.scope });
        setName('');
        setModels('');
        void queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.keys.listAll.queryKey() });
      },
    }),
  );
  const refused = keyScopes.filter((option) => !allowed.includes(option));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMade(undefined);
    const named = models
      .split(',')
      .map((model) => model.trim())
      .filter((model) => model !== '');
    create.mutate({ name, scope, models: scope === 'predict' && named.length ? named : undefined });
  }

  return (
    <section className="panel" aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create a key</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          Name
          <input
            value={name}
            required
            maxLength={64}
            placeholder="e.g. nightly CI"
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label>
          Scope
          <select
            value={scope}
            onChange={(event) => {
              const picked = keyScopeSchema.safeParse(event.target.value);
              if (picked.success) setScope(picked.data);
            }}
          >
            {allowed.map((option) => (
              <option key={option} value={option}>
                {scopeWords[option]}
              </option>
            ))}
          </select>
        </label>
        {scope === 'predict' && (
          <label>
            Models (optional)
            <input
              value={models}
              placeholder="churn, fraud — empty: every model"
              onChange={(event) => setModels(event.target.value)}
            />
          </label>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <p className="muted page-intro">
        Send it as <code>Authorization: Bearer …</code> to the REST API (
        <a href="/api/v1/openapi.json">OpenAPI</a>
        ), tRPC or the CLI (<code>PIPEWRIGHT_URL</code> and <code>PIPEWRIGHT_API_KEY</code>). A key never does
        more than your role allows.
        {refused.map((option) => ` ${scopeTitles[option]} keys need ${permissionNeeds[option]}.`).join('')}
      </p>
      {create.error && (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      )}
      {made && (
        <OneTimeSecret
          label="New API key"
          what="key"
          value={made.key}
          onDone={() => {
            setMade(undefined);
            // The mutation's cache holds the secret too: forget it with the panel.
            create.reset();
          }}
        >
          <strong>
            Your new {made.scope} key “{made.name}”.
          </strong>{' '}
          It is shown only now and cannot be shown again: copy it and store it somewhere safe. Lost keys are
          revoked and replaced, not recovered.
        </OneTimeSecret>
      )}
    </section>
  );
}
