'use client';

import { nodeSpec } from '../../nodes/specs';
import { type FieldChange, formatValue, type NodeDiff } from '../../pipeline/version-diff';

export const KIND_TEXT: Record<NodeDiff['kind'], string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  unchanged: 'Unchanged',
};

/** What happened to a step, connection, parameter or note, as a coloured word. */
export function KindBadge({ kind }: { kind: NodeDiff['kind'] }) {
  return <span className={`diff-badge diff-${kind}`}>{KIND_TEXT[kind]}</span>;
}

/** A step's name as the canvas shows it: its label, else its type's title. */
export function stepName(entry: NodeDiff): string {
  const node = entry.after ?? entry.before;
  if (!node) return entry.id;
  return node.label || nodeSpec(node.type)?.title || node.type;
}

/**
 * One step's changes: for a changed step each field that differs, old → new; for an added or
 * removed one its settings as they are (or were).
 */
export function NodeChanges({
  entry,
  fromVersion,
  toVersion,
}: {
  entry: NodeDiff;
  fromVersion: number;
  toVersion: number;
}) {
  const node = entry.after ?? entry.before;
  return (
    <section className="panel-section diff-node-changes" aria-label={`Changes to ${stepName(entry)}`}>
      <div className="diff-node-head">
        <h2>{stepName(entry)}</h2>
        <KindBadge kind={entry.kind} />
      </div>
      <p className="muted diff-node-id">
        <code>{entry.id}</code> · {node ? (nodeSpec(node.type)?.title ?? node.type) : ''}
        {entry.moved ? ' · moved on the canvas' : ''}
      </p>
      {entry.kind === 'changed' && (
        <FieldTable fields={entry.fields} fromVersion={fromVersion} toVersion={toVersion} />
      )}
      {entry.kind === 'unchanged' && (
        <p className="muted">
          {entry.moved ? 'Only its place on the canvas changed.' : 'Nothing about this step changed.'}
        </p>
      )}
      {(entry.kind === 'added' || entry.kind === 'removed') && node && (
        <>
          <p className="muted">
            {entry.kind === 'added'
              ? `New in version ${toVersion}.`
              : `In version ${fromVersion}, gone from version ${toVersion}.`}
          </p>
          <dl className="diff-settings">
            {Object.entries(node.config).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>
                  <code>{formatValue(value)}</code>
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

/** The fields that differ, one row each: where, the old value and the new one. */
export function FieldTable({
  fields,
  fromVersion,
  toVersion,
}: {
  fields: FieldChange[];
  fromVersion: number;
  toVersion: number;
}) {
  return (
    <table className="diff-fields">
      <thead>
        <tr>
          <th>Field</th>
          <th>v{fromVersion}</th>
          <th>
            <span className="visually-hidden">becomes</span>
          </th>
          <th>v{toVersion}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={field.at} data-kind={field.kind}>
            <th scope="row">
              <code>{field.at}</code>
            </th>
            <td className="diff-old">
              <SideValue absent={field.kind === 'added'} value={field.before} />
            </td>
            <td className="diff-arrow" aria-hidden="true">
              →
            </td>
            <td className="diff-new">
              <SideValue absent={field.kind === 'removed'} value={field.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One side of a field's change: its value, or a dash on the side where the field does not exist. */
function SideValue({ absent, value }: { absent: boolean; value: unknown }) {
  return absent ? <span className="muted">—</span> : <code>{formatValue(value)}</code>;
}
