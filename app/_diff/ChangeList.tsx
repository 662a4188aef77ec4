'use client';

import type { ReactNode } from 'react';
import { hasChanges, type VersionDiff } from '../../pipeline/version-diff';
import { FieldTable, KIND_TEXT, KindBadge, stepName } from './NodeChanges';

/** What changed from one version to the other, in words: counts, then steps, connections and parameters. */
export function ChangeList({
  diff,
  fromVersion,
  toVersion,
  onSelect,
}: {
  diff: VersionDiff;
  fromVersion: number;
  toVersion: number;
  onSelect: (nodeId: string) => void;
}) {
  const steps = diff.nodes.filter((entry) => entry.kind !== 'unchanged' || entry.moved);
  const connections = diff.edges.filter((entry) => entry.kind !== 'unchanged');
  const names = new Map(diff.nodes.map((entry) => [entry.id, stepName(entry)]));
  const { counts } = diff;
  if (!hasChanges(diff) && counts.nodesMoved === 0) {
    return (
      <section className="panel-section">
        <p className="empty-state diff-same">
          Versions {fromVersion} and {toVersion} are the same pipeline.
        </p>
      </section>
    );
  }
  return (
    <>
      <section className="panel-section">
        <ul className="diff-counts" aria-label="Summary">
          <Count value={counts.nodesAdded} kind="added" what="step" verb="added" />
          <Count value={counts.nodesRemoved} kind="removed" what="step" verb="removed" />
          <Count value={counts.nodesChanged} kind="changed" what="step" verb="changed" />
          <Count value={counts.edgesAdded} kind="added" what="connection" verb="added" />
          <Count value={counts.edgesRemoved} kind="removed" what="connection" verb="removed" />
          <Count value={counts.parametersChanged} kind="changed" what="parameter" verb="changed" />
          <Count value={counts.notesChanged} kind="changed" what="note" verb="changed" />
          <Count value={counts.nodesMoved} kind="unchanged" what="step" verb="moved" />
        </ul>
      </section>
      <ChangeSection title="Steps" items={steps}>
        {(entry) => (
          <li key={entry.id}>
            <button type="button" className="diff-item" onClick={() => onSelect(entry.id)}>
              <span className={`diff-badge diff-${entry.kind}`}>
                {entry.kind === 'unchanged' ? 'Moved' : KIND_TEXT[entry.kind]}
              </span>
              <span className="diff-item-name">{stepName(entry)}</span>
              {entry.kind === 'changed' && (
                <span className="muted">
                  {entry.fields.length} field{entry.fields.length === 1 ? '' : 's'}
                </span>
              )}
            </button>
          </li>
        )}
      </ChangeSection>
      <ChangeSection title="Connections" items={connections}>
        {(entry) => (
          <li key={`${entry.kind}:${entry.key}`} className="diff-connection">
            <KindBadge kind={entry.kind} />
            <span>
              {names.get(entry.edge.source.node) ?? entry.edge.source.node}
              <span className="muted"> · {entry.edge.source.port}</span> →{' '}
              {names.get(entry.edge.target.node) ?? entry.edge.target.node}
              <span className="muted"> · {entry.edge.target.port}</span>
            </span>
          </li>
        )}
      </ChangeSection>
      <ChangeSection title="Parameters" items={diff.parameters}>
        {(entry) => (
          <li key={entry.name} className="diff-parameter">
            <div className="diff-parameter-head">
              <KindBadge kind={entry.kind} />
              <code>{entry.name}</code>
              <span className="muted">{(entry.after ?? entry.before)?.type}</span>
            </div>
            {entry.kind === 'changed' && (
              <FieldTable fields={entry.fields} fromVersion={fromVersion} toVersion={toVersion} />
            )}
          </li>
        )}
      </ChangeSection>
      <ChangeSection title="Notes" items={diff.notes}>
        {(entry) => (
          <li key={entry.id} className="diff-note">
            <KindBadge kind={entry.kind} />
            <span>
              {entry.before !== undefined && <del>{entry.before}</del>}
              {entry.before !== undefined && entry.after !== undefined && ' → '}
              {entry.after !== undefined && <ins>{entry.after}</ins>}
            </span>
          </li>
        )}
      </ChangeSection>
    </>
  );
}

/** A titled list of one sort of change, each item drawn by `children`; nothing when there is none. */
function ChangeSection<T>({
  title,
  items,
  children,
}: {
  title: string;
  items: readonly T[];
  children: (item: T) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <section className="panel-section">
      <h3>{title}</h3>
      <ul className="diff-list">{items.map(children)}</ul>
    </section>
  );
}

function Count({ value, kind, what, verb }: { value: number; kind: string; what: string; verb: string }) {
  if (value === 0) return null;
  return (
    <li className={`diff-count diff-${kind}`}>
      <strong>{value}</strong> {what}
      {value === 1 ? '' : 's'} {verb}
    </li>
  );
}
