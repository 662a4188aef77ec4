'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { type ColumnProfile, type DatasetProfile, readProfile } from '../../../nodes/_data/profile-schema';
import type { AppRouter } from '../../_server/root';
import { useTRPC } from '../../_trpc/client';
import { formatCell, formatCount, formatPercent, formatStatistic, rawText } from '../format';
import './dataset.css';

export type DatasetPreviewData = inferRouterOutputs<AppRouter>['datasets']['preview'];

/** Rows per page of the rows table. */
export const PREVIEW_PAGE_SIZE = 50;

export interface DatasetPreviewProps {
  artifactId: string;
}

/** A dataset artifact's column profile and its rows, a page at a time (the `datasets.preview` query). */
export function DatasetPreview({ artifactId }: DatasetPreviewProps) {
  const trpc = useTRPC();
  // The page belongs to one artifact: another artifact starts at its first row.
  const [page, setPage] = useState({ artifactId, offset: 0 });
  const offset = page.artifactId === artifactId ? page.offset : 0;
  const query = useQuery({
    ...trpc.datasets.preview.queryOptions({ artifactId, offset, limit: PREVIEW_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  if (query.isPending) {
    return (
      <div className="dataset-preview dataset-state" aria-busy="true">
        Loading the dataset…
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="dataset-preview dataset-state dataset-error" role="alert">
        <strong>Could not load this dataset.</strong> {query.error.message}
      </div>
    );
  }
  return (
    <DatasetPreviewView
      data={query.data}
      offset={offset}
      loading={query.isPlaceholderData}
      onOffset={(next) => setPage({ artifactId, offset: next })}
    />
  );
}

export interface DatasetPreviewViewProps {
  data: DatasetPreviewData;
  /** First row of the page shown (0-based). */
  offset: number;
  /** A new page is on its way; the current one is still shown. */
  loading?: boolean;
  onOffset: (offset: number) => void;
}

/** The preview drawn from a `datasets.preview` answer; DatasetPreview fetches it. */
export function DatasetPreviewView({ data, offset, loading = false, onOffset }: DatasetPreviewViewProps) {
  const [tab, setTab] = useState<'profile' | 'rows'>('profile');
  const baseId = useId();
  const profile = useMemo(() => readProfile(data.profile), [data.profile]);
  const columns = useMemo(() => columnsOf(profile, data.rows), [profile, data.rows]);
  const tabs = [
    { id: 'profile', label: 'Profile' },
    { id: 'rows', label: 'Rows' },
  ] as const;
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = tab === 'profile' ? 'rows' : 'profile';
    setTab(next);
    document.getElementById(`${baseId}-tab-${next}`)?.focus();
  };
  return (
    <div className="dataset-preview">
      <div className="dataset-head">
        <div className="dataset-counts">
          <strong>{formatCount(data.total)}</strong> rows · <strong>{formatCount(columns.length)}</strong>{' '}
          columns
        </div>
        <div className="dataset-tabs" role="tablist" aria-label="Dataset view" onKeyDown={onTabKey}>
          {tabs.map((item) => (
            <button
              key={item.id}
              id={`${baseId}-tab-${item.id}`}
              type="button"
              role="tab"
              aria-selected={tab === item.id}
              aria-controls={`${baseId}-panel-${item.id}`}
              tabIndex={tab === item.id ? 0 : -1}
              className={tab === item.id ? 'is-active' : undefined}
              onClick={() => setTab(item.id)}
            >
              {item.label}
            </button>
          ))}
        </div>
      </div>
      <div
        id={`${baseId}-panel-profile`}
        role="tabpanel"
        aria-labelledby={`${baseId}-tab-profile`}
        className="dataset-panel"
        hidden={tab !== 'profile'}
      >
        <ProfileList profile={profile} />
      </div>
      <div
        id={`${baseId}-panel-rows`}
        role="tabpanel"
        aria-labelledby={`${baseId}-tab-rows`}
        className="dataset-panel"
        hidden={tab !== 'rows'}
      >
        <RowsTable data={data} columns={columns} offset={offset} loading={loading} onOffset={onOffset} />
      </div>
    </div>
  );
}

interface TableColumn {
  name: string;
  type: string | undefined;
}

function columnsOf(profile: DatasetProfile | undefined, rows: Record<string, unknown>[]): TableColumn[] {
  if (profile?.columns.length)
    return profile.columns.map((column) => ({ name: column.name, type: column.type }));
  return Object.keys(rows[0] ?? {}).map((name) => ({ name, type: undefined }));
}

function ProfileList({ profile }: { profile: DatasetProfile | undefined }) {
  const [filter, setFilter] = useState('');
  const filterId = useId();
  if (!profile)
    return <p className="dataset-state">No profile was stored with this dataset; its rows are under Rows.</p>;
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? profile.columns.filter((column) => column.name.toLowerCase().includes(needle))
    : profile.columns;
  return (
    <>
      <div className="dataset-toolbar">
        <label htmlFor={filterId} className="dataset-sr-only">
          Find a column
        </label>
        <input
          id={filterId}
          type="search"
          className="dataset-filter"
          placeholder="Find a column"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        {profile.sampledRows !== undefined && (
          <span className="dataset-sample-note">
            Histograms and top values estimated from a sample of {formatCount(profile.sampledRows)} rows
          </span>
        )}
      </div>
      {shown.length ? (
        <ul className="dataset-columns">
          {shown.map((column) => (
            <ColumnCard
              key={column.name}
              column={column}
              rows={profile.rows}
              estimated={profile.sampledRows !== undefined}
            />
          ))}
        </ul>
      ) : (
        <p className="dataset-state">No column matches “{filter}”.</p>
      )}
    </>
  );
}

function ColumnCard({
  column,
  rows,
  estimated,
}: {
  column: ColumnProfile;
  rows: number;
  estimated: boolean;
}) {
  const numeric = column.type === 'numeric';
  const datetime = column.type === 'datetime';
  const missingPercent = column.missingFraction * 100;
  // Past the exact-profile size distinct counts are estimates, which can overshoot the row count.
  const distinct = Math.min(column.distinct, Math.max(0, rows - column.missing));
  return (
    <li className="dataset-column">
      <div className="dataset-column-main">
        <div className="dataset-column-title">
          <span className="dataset-column-name" title={column.name}>
            {column.name}
          </span>
          <span className={`dataset-type dataset-type-${column.type}`}>{column.type}</span>
        </div>
        <dl className="dataset-stats">
          <div>
            <dt>Distinct</dt>
            <dd title={estimated ? 'Estimated' : undefined}>
              {estimated ? '≈' : ''}
              {formatCount(distinct)}
            </dd>
          </div>
          <div className="dataset-missing">
            <dt>Missing</dt>
            <dd title={`${formatCount(column.missing)} of ${formatCount(rows)} rows`}>
              <span className="dataset-missing-bar" aria-hidden="true">
                <span
                  style={{ width: `${Math.min(100, Math.max(missingPercent > 0 ? 4 : 0, missingPercent))}%` }}
                />
              </span>
              {formatPercent(column.missingFraction)}
            </dd>
          </div>
        </dl>
        {(numeric || datetime) && (column.min !== null || column.max !== null) && (
          <dl className="dataset-stats">
            <div>
              <dt>{datetime ? 'From' : 'Min'}</dt>
              <dd>{formatStatistic(column.min)}</dd>
            </div>
            <div>
              <dt>{datetime ? 'To' : 'Max'}</dt>
              <dd>{formatStatistic(column.max)}</dd>
            </div>
            {numeric && column.mean !== null && (
              <div>
                <dt>Mean</dt>
                <dd
                  title={
                    column.std === null ? undefined : `standard deviation ${formatStatistic(column.std)}`
                  }
                >
                  {formatStatistic(column.mean)}
                </dd>
              </div>
            )}
          </dl>
        )}
      </div>
      <div className="dataset-column-shape">
        {numeric && column.histogram.length > 0 ? (
          <Histogram column={column} />
        ) : column.topValues.length > 0 ? (
          <TopValues column={column} rows={rows} distinct={distinct} estimated={estimated} />
        ) : null}
      </div>
    </li>
  );
}

const SPARK_W = 150;
const SPARK_H = 34;

function Histogram({ column }: { column: ColumnProfile }) {
  const bins = column.histogram;
  const max = Math.max(1, ...bins.map((bin) => bin.count));
  const width = SPARK_W / bins.length;
  const first = bins[0];
  const last = bins.at(-1);
  return (
    <div className="dataset-histogram">
      <svg
        viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
        width={SPARK_W}
        height={SPARK_H}
        role="img"
        aria-label={`Histogram of ${column.name} in ${bins.length} bins from ${formatStatistic(first?.from ?? null)} to ${formatStatistic(last?.to ?? null)}`}
      >
        <line x1={0} x2={SPARK_W} y1={SPARK_H - 0.5} y2={SPARK_H - 0.5} className="dataset-spark-axis" />
        {bins.map((bin, index) => {
          const height = bin.count ? Math.max(1.5, (bin.count / max) * (SPARK_H - 2)) : 0;
          return (
            <rect
              key={`${bin.from}-${bin.to}`}
              x={index * width + 0.5}
              y={SPARK_H - height}
              width={Math.max(1, width - 1)}
              height={height}
              className="dataset-spark-bar"
            >
              <title>{`${formatStatistic(bin.from)} to ${formatStatistic(bin.to)}: ${formatCount(bin.count)} rows`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="dataset-histogram-range" aria-hidden="true">
        <span>{formatStatistic(first?.from ?? null)}</span>
        <span>{formatStatistic(last?.to ?? null)}</span>
      </div>
    </div>
  );
}

const TOP_VALUES_SHOWN = 4;

function TopValues({
  column,
  rows,
  distinct,
  estimated,
}: {
  column: ColumnProfile;
  rows: number;
  distinct: number;
  estimated: boolean;
}) {
  const top = column.topValues.slice(0, TOP_VALUES_SHOWN);
  const max = Math.max(1, ...top.map((entry) => entry.count));
  const rest = distinct - top.length;
  return (
    <ol className="dataset-top-values" aria-label={`Most frequent values of ${column.name}`}>
      {top.map((entry) => (
        <li
          key={String(entry.value)}
          title={`${formatStatistic(entry.value)}: ${formatCount(entry.count)} rows`}
        >
          <span className="dataset-top-value">{formatStatistic(entry.value)}</span>
          <span className="dataset-top-bar" aria-hidden="true">
            <span style={{ width: `${(entry.count / max) * 100}%` }} />
          </span>
          <span className="dataset-top-count">{formatPercent(rows ? entry.count / rows : 0)}</span>
        </li>
      ))}
      {rest > 0 && (
        <li className="dataset-top-more">{estimated ? 'and more values' : `+${formatCount(rest)} more`}</li>
      )}
    </ol>
  );
}

function RowsTable({
  data,
  columns,
  offset,
  loading,
  onOffset,
}: {
  data: DatasetPreviewData;
  columns: TableColumn[];
  offset: number;
  loading: boolean;
  onOffset: (offset: number) => void;
}) {
  const first = data.rows.length ? offset + 1 : 0;
  const last = offset + data.rows.length;
  const hasPrevious = offset > 0;
  const hasNext = last < data.total;
  return (
    <>
      <div className={`dataset-rows${loading ? ' is-loading' : ''}`} aria-busy={loading}>
        <table className="dataset-table">
          <thead>
            <tr>
              <th scope="col" className="dataset-rownum">
                <span className="dataset-sr-only">Row</span>#
              </th>
              {columns.map((column) => (
                <th key={column.name} scope="col" className={alignOf(column.type)}>
                  <span className="dataset-th-name">{column.name}</span>
                  {column.type && <span className="dataset-th-type">{column.type}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row, index) => (
              // A row's position in the dataset is its identity here.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no key of their own
              <tr key={offset + index}>
                <td className="dataset-rownum">{formatCount(offset + index + 1)}</td>
                {columns.map((column) => {
                  const value = row[column.name];
                  const text = formatCell(value);
                  return (
                    <td
                      key={column.name}
                      className={`${alignOf(column.type)}${value === null || value === undefined ? ' is-null' : ''}`}
                      title={text.length > 24 || typeof value === 'number' ? rawText(value) : undefined}
                    >
                      {text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {data.rows.length === 0 && <p className="dataset-state">No rows on this page.</p>}
      </div>
      <nav className="dataset-pager" aria-label="Rows pages">
        <span className="dataset-pager-status" aria-live="polite">
          Rows {formatCount(first)}–{formatCount(last)} of {formatCount(data.total)}
        </span>
        <button
          type="button"
          disabled={!hasPrevious || loading}
          onClick={() => onOffset(Math.max(0, offset - PREVIEW_PAGE_SIZE))}
        >
          ‹ Previous
        </button>
        <button
          type="button"
          disabled={!hasNext || loading}
          onClick={() => onOffset(offset + PREVIEW_PAGE_SIZE)}
        >
          Next ›
        </button>
      </nav>
    </>
  );
}

function alignOf(type: string | undefined): string {
  return type === 'numeric' ? 'num' : '';
}
