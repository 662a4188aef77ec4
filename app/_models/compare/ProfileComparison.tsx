'use client';

import { useId, useState } from 'react';
import { formatCount, formatNumber, formatPercent } from '../../_components/format';
import type {
  ColumnDiff,
  ColumnFacts,
  ProfileComparison as Comparison,
  DatasetFacts,
  VersionSide,
} from './comparison-schema';
import { NOT_RECORDED, sideName } from './sides';

/**
 * The data each version was trained on: the datasets' checksums and rows, then every column's type,
 * missing share and distribution (mean ± standard deviation, or the top categories) in both, with
 * added and removed columns and large shifts marked and named.
 */
export function ProfileComparison({
  profile,
  a,
  b,
}: {
  profile: Comparison;
  a: VersionSide;
  b: VersionSide;
}) {
  const [changedOnly, setChangedOnly] = useState(false);
  const toggleId = useId();
  const changed = profile.columns.filter(isChanged);
  const shown = changedOnly ? changed : profile.columns;
  const count = (status: ColumnDiff['status']) =>
    profile.columns.filter((column) => column.status === status).length;
  const shifted = profile.columns.filter((column) => column.shifts.length > 0).length;
  return (
    <div className="compare-profile">
      <div className="compare-datasets">
        <Dataset id="a" side={a} facts={profile.a} />
        <Dataset id="b" side={b} facts={profile.b} />
        <p className="compare-data-verdict" data-testid="compare-data-verdict">
          {profile.sameData
            ? 'Both versions were trained on the same data (same checksum).'
            : profile.columns.length
              ? `Different data: ${plural(count('added'), 'column')} added, ${count('removed')} removed, ${shifted} with a large shift.`
              : 'The profiles cannot be compared: one version did not record its training data.'}
        </p>
      </div>
      {profile.columns.length > 0 && (
        <>
          <label className="compare-inline-field" htmlFor={toggleId}>
            <input
              id={toggleId}
              type="checkbox"
              checked={changedOnly}
              onChange={(event) => setChangedOnly(event.target.checked)}
            />{' '}
            Only columns that changed ({changed.length} of {profile.columns.length})
          </label>
          <div className="compare-table-wrap">
            <table className="data-table compare-columns" data-testid="compare-columns">
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="numeric">
                    Missing A
                  </th>
                  <th scope="col" className="numeric">
                    Missing B
                  </th>
                  <th scope="col">A · {sideName(a)}</th>
                  <th scope="col">B · {sideName(b)}</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((column) => (
                  <ColumnRow key={column.name} column={column} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted compare-note">
            Large shifts: the mean moved a quarter of a standard deviation or more, the spread changed 1.5×,
            the missing share 5 points, or the top categories’ shares 10 points in all.
          </p>
        </>
      )}
    </div>
  );
}

function isChanged(column: ColumnDiff): boolean {
  return column.status !== 'kept' || column.shifts.length > 0;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function Dataset({ id, side, facts }: { id: 'a' | 'b'; side: VersionSide; facts: DatasetFacts }) {
  return (
    <div className="compare-dataset" data-testid={`dataset-${id}`}>
      <div className="compare-dataset-name">
        <span className={`compare-key compare-key-${id}`} aria-hidden="true" />
        {id.toUpperCase()} · {sideName(side)}
      </div>
      {facts.profiled ? (
        <div>
          <strong>{formatCount(facts.rows ?? 0)}</strong> training rows
          {facts.sampledRows !== null && (
            <span className="muted"> (categories from a sample of {formatCount(facts.sampledRows)})</span>
          )}
        </div>
      ) : (
        <div className="muted">{NOT_RECORDED}</div>
      )}
      <div className="muted compare-checksum" title={facts.sha256 ?? undefined}>
        {facts.sha256 ? `SHA-256 ${facts.sha256.slice(0, 12)}…` : 'No checksum recorded'}
      </div>
    </div>
  );
}

function ColumnRow({ column }: { column: ColumnDiff }) {
  const status =
    column.status === 'added'
      ? 'is-added'
      : column.status === 'removed'
        ? 'is-removed'
        : column.shifts.length
          ? 'is-shifted'
          : '';
  const type =
    column.a && column.b && column.a.type !== column.b.type
      ? `${column.a.type} → ${column.b.type}`
      : (column.a ?? column.b)?.type;
  return (
    <tr className={status}>
      <th scope="row">
        {column.name}
        {column.status !== 'kept' && (
          <span className={`compare-status compare-status-${column.status}`}>
            {column.status === 'added' ? 'added in B' : 'removed in B'}
          </span>
        )}
      </th>
      <td>{type}</td>
      <td className="numeric">{column.a ? formatPercent(column.a.missingFraction) : '–'}</td>
      <td className="numeric">{column.b ? formatPercent(column.b.missingFraction) : '–'}</td>
      <td>{column.a ? <Distribution facts={column.a} /> : <span className="muted">not in A’s data</span>}</td>
      <td>{column.b ? <Distribution facts={column.b} /> : <span className="muted">not in B’s data</span>}</td>
      <td>
        {column.shifts.length ? (
          <ul className="compare-shifts">
            {column.shifts.map((shift) => (
              <li key={shift}>{shift}</li>
            ))}
          </ul>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
    </tr>
  );
}

function Distribution({ facts }: { facts: ColumnFacts }) {
  if (facts.mean !== null)
    return (
      <span className="compare-distribution">
        {formatNumber(facts.mean)} ± {formatNumber(facts.std)}
      </span>
    );
  if (facts.top.length === 0) return <span className="muted">{formatCount(facts.distinct)} distinct</span>;
  return (
    <span className="compare-distribution">
      {facts.top.map((item) => `${String(item.value)} ${formatPercent(item.share)}`).join(' · ')}
    </span>
  );
}
