'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useViewer } from '../_account/use-viewer';
import { EmptyState } from '../_components/EmptyState';
import { LoadMore } from '../_components/LoadMore';
import { useTRPC } from '../_trpc/client';
import { type AuditFilterInput, auditExportHref } from './filters';
import { keyPrefixOf, summariseDetails } from './summary';

const OBJECT_TYPES = ['pipeline', 'run', 'user', 'key', 'connection', 'account'];

/** What the filter bar holds: text as typed, dates as the date inputs give them (YYYY-MM-DD). */
interface Draft {
  actor: string;
  action: string;
  objectType: string;
  object: string;
  fromDay: string;
  toDay: string;
}
const noFilters: Draft = { actor: '', action: '', objectType: '', object: '', fromDay: '', toDay: '' };

/** Midnight at the start of a day in the viewer's time zone; `after` moves to the next day's. */
function dayStart(day: string, after = false): Date | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00`);
  if (after) date.setDate(date.getDate() + 1);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The filters the server gets: "to" is the whole of its day, so it sends the next midnight. */
function filtersOf(draft: Draft): AuditFilterInput {
  return {
    actor: draft.actor,
    action: draft.action,
    objectType: draft.objectType,
    object: draft.object,
    from: dayStart(draft.fromDay),
    to: dayStart(draft.toDay, true),
  };
}

/** Action families offered alongside single actions: "pipeline." for every pipeline.* action. */
function familiesOf(actions: string[]): string[] {
  const families = new Set(
    actions.filter((action) => action.includes('.')).map((action) => `${action.split('.')[0]}.`),
  );
  return [...families].sort();
}

/** The admin's audit log: filter, read newest first a page at a time, export what is shown as CSV. */
export function AuditLog() {
  const { me, may } = useViewer();
  if (me === undefined) return <main className="list-page" aria-busy="true" />;
  if (!may('admin')) {
    return (
      <main className="list-page">
        <EmptyState title="The audit log needs the admin role" alert>
          You are signed in as {me.email} with the {me.role} role. Ask an admin if you need to know who did
          what.
        </EmptyState>
      </main>
    );
  }
  return <AuditLogForAdmin />;
}

function AuditLogForAdmin() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Draft>(noFilters);
  const [applied, setApplied] = useState<Draft>(noFilters);
  const filters = filtersOf(applied);
  const actions = useQuery(trpc.audit.actions.queryOptions());
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { filters, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(applied).some((value) => value !== '');
  const set = (field: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [field]: event.target.value });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  const clear = () => {
    setDraft(noFilters);
    setApplied(noFilters);
  };

  return (
    <main className="list-page">
      <div className="list-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted audit-lead">Who did what, and when. Entries cannot be changed or deleted.</p>
        </div>
        <a className="secondary-link" href={auditExportHref(filters)} download>
          Export CSV
        </a>
      </div>

      <form className="audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <label>
          Actor
          <input type="search" placeholder="email contains…" value={draft.actor} onChange={set('actor')} />
        </label>
        <label>
          Action
          <select value={draft.action} onChange={set('action')}>
            <option value="">Any action</option>
            {familiesOf(actions.data ?? []).map((family) => (
              <option key={family} value={family}>
                {family}* (all)
              </option>
            ))}
            {(actions.data ?? []).map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          Object
          <span className="audit-object-filter">
            <select value={draft.objectType} onChange={set('objectType')} aria-label="Object type">
              <option value="">Any type</option>
              {OBJECT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
            <input
              type="search"
              aria-label="Object name or id"
              placeholder="name or id…"
              value={draft.object}
              onChange={set('object')}
            />
          </span>
        </label>
        <label>
          From
          <input type="date" value={draft.fromDay} onChange={set('fromDay')} />
        </label>
        <label>
          To
          <input type="date" value={draft.toDay} onChange={set('toDay')} />
        </label>
        <div className="bar-group audit-filter-buttons">
          <button type="submit">Apply</button>
          <button
            type="button"
            className="secondary"
            onClick={clear}
            disabled={!filtered && draft === noFilters}
          >
            Clear
          </button>
        </div>
      </form>

      {list.error && <p className="form-error">{list.error.message}</p>}
      {list.data && items.length === 0 && (
        <EmptyState title={filtered ? 'No entry matches these filters' : 'Nothing has been recorded yet'}>
          {filtered
            ? 'Widen the time range or clear a filter.'
            : 'Sign-ins, changes to pipelines, runs, users, keys and connections appear here as they happen.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Object</th>
              <th>Details</th>
              <th>Address</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => {
              const keyPrefix = keyPrefixOf(entry.details);
              return (
                <tr key={entry.id}>
                  <td className="audit-time" title={entry.at.toISOString()}>
                    {entry.at.toLocaleString()}
                  </td>
                  <td>
                    {entry.actorEmail ?? (
                      <span className="muted">{entry.actorKind === 'cli' ? 'CLI' : 'system'}</span>
                    )}
                    {keyPrefix && <div className="muted audit-sub">key {keyPrefix}…</div>}
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td title={entry.objectId ?? undefined}>
                    {entry.objectType && <span className="audit-type">{entry.objectType}</span>}{' '}
                    {entry.objectLabel ?? entry.objectId ?? ''}
                  </td>
                  <td className="audit-details">{summariseDetails(entry.details)}</td>
                  <td className="muted">{entry.ipAddress ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <LoadMore pages={list} />
    </main>
  );
}
