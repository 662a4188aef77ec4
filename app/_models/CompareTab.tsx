'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { EmptyState } from '../_components/EmptyState';
import { formatCount } from '../_components/format';
import { algorithmLabels } from '../_components/report/metrics';
import { useTRPC } from '../_trpc/client';
import { ConfusionPair } from './compare/ConfusionPair';
import type { VersionSide } from './compare/comparison-schema';
import { ImportancePairs } from './compare/ImportancePairs';
import { MetricsComparison } from './compare/MetricsComparison';
import { ProfileComparison } from './compare/ProfileComparison';
import { ResidualComparison } from './compare/ResidualComparison';
import { RocOverlay } from './compare/RocOverlay';
import { NOT_RECORDED } from './compare/sides';
import { when } from './format';
import type { VersionItem } from './VersionsTable';
import './compare/compare.css';

/** The versions compared: chosen, or (undefined) the server's default, production against the newest other. */
export interface ComparedVersions {
  a?: number;
  b?: number;
}

/**
 * A model's Compare tab: two versions side by side (metrics, ROC curves, confusion matrices or
 * residuals, feature importances, training data). The choice goes into the address
 * (?tab=compare&a=3&b=5, set by the page), so a reload or a shared link shows the same comparison.
 */
export function CompareTab({
  name,
  versions,
  chosen,
  onChoose,
}: {
  name: string;
  versions: VersionItem[];
  /** The versions asked for; without them the server picks (production against the newest other). */
  chosen: ComparedVersions;
  /** The page keeps the choice (and the address), so it outlives a visit to another tab. */
  onChoose: (next: { a: number; b: number }) => void;
}) {
  const trpc = useTRPC();
  const compared = useQuery(trpc.models.compare.queryOptions({ name, ...chosen }));
  const choose = onChoose;

  if (versions.length < 2)
    return (
      <EmptyState title="Nothing to compare yet">
        A comparison needs two versions; {name} has {versions.length === 0 ? 'none' : 'one'}. A run with a
        Deploy step registers the next.
      </EmptyState>
    );
  const data = compared.data;
  return (
    <div className="version-compare" aria-busy={compared.isFetching}>
      <Pickers
        versions={versions}
        a={data?.a.version ?? chosen.a}
        b={data?.b.version ?? chosen.b}
        onChoose={choose}
      />
      {compared.error && (
        <p className="error-text" role="alert">
          {compared.error.message}
        </p>
      )}
      {!data && !compared.error && <p className="muted">Loading the comparison…</p>}
      {data && (
        <>
          <div className="compare-sides">
            <SideCard id="a" side={data.a} />
            <SideCard id="b" side={data.b} />
          </div>
          <section className="panel" aria-labelledby="compare-metrics-heading">
            <h2 id="compare-metrics-heading">Test metrics</h2>
            <MetricsComparison rows={data.metrics} a={data.a} b={data.b} />
          </section>
          {data.a.task === 'classification' || data.b.task === 'classification' ? (
            <div className="compare-grid">
              <section className="panel" aria-labelledby="compare-roc-heading">
                <h2 id="compare-roc-heading">ROC curves</h2>
                {data.a.roc || data.b.roc ? (
                  <RocOverlay a={data.a} b={data.b} />
                ) : (
                  <p className="muted">{NOT_RECORDED.replace('this version', 'either version')}.</p>
                )}
              </section>
              <section className="panel" aria-labelledby="compare-confusion-heading">
                <h2 id="compare-confusion-heading">Confusion matrices</h2>
                <ConfusionPair a={data.a} b={data.b} />
                <p className="muted compare-note">
                  Rows are the actual class, columns the predicted one; shading is each cell’s share of its
                  actual class (blue: right, red: wrong).
                </p>
              </section>
            </div>
          ) : (
            <section className="panel" aria-labelledby="compare-residuals-heading">
              <h2 id="compare-residuals-heading">Residuals</h2>
              <ResidualComparison a={data.a} b={data.b} />
            </section>
          )}
          <section className="panel" aria-labelledby="compare-importance-heading">
            <h2 id="compare-importance-heading">Feature importance</h2>
            <ImportancePairs importances={data.importances} a={data.a} b={data.b} />
          </section>
          <section className="panel" aria-labelledby="compare-data-heading">
            <h2 id="compare-data-heading">Training data</h2>
            <ProfileComparison profile={data.profile} a={data.a} b={data.b} />
          </section>
        </>
      )}
    </div>
  );
}

function Pickers({
  versions,
  a,
  b,
  onChoose,
}: {
  versions: VersionItem[];
  a: number | undefined;
  b: number | undefined;
  onChoose: (next: { a: number; b: number }) => void;
}) {
  const idA = useId();
  const idB = useId();
  const option = (version: VersionItem) => (
    <option key={version.version} value={version.version}>
      {[`v${version.version}`, ...version.aliases, algorithmName(version.algorithm)].join(' · ')}
    </option>
  );
  const ready = a !== undefined && b !== undefined;
  return (
    <div className="compare-pickers">
      <label htmlFor={idA}>
        <span className="compare-key compare-key-a" aria-hidden="true" />A (baseline)
      </label>
      <select
        id={idA}
        value={a ?? ''}
        disabled={!ready}
        onChange={(event) => b !== undefined && onChoose({ a: Number(event.target.value), b })}
      >
        {versions.filter((version) => version.version !== b).map(option)}
      </select>
      <label htmlFor={idB}>
        <span className="compare-key compare-key-b" aria-hidden="true" />B (compared)
      </label>
      <select
        id={idB}
        value={b ?? ''}
        disabled={!ready}
        onChange={(event) => a !== undefined && onChoose({ a, b: Number(event.target.value) })}
      >
        {versions.filter((version) => version.version !== a).map(option)}
      </select>
      <button
        type="button"
        className="secondary"
        disabled={!ready}
        title="Swap A and B"
        onClick={() => a !== undefined && b !== undefined && onChoose({ a: b, b: a })}
      >
        ⇄ Swap
      </button>
    </div>
  );
}

function SideCard({ id, side }: { id: 'a' | 'b'; side: VersionSide }) {
  return (
    <div className={`compare-side compare-side-${id}`} data-testid={`compare-side-${id}`}>
      <div className="compare-side-head">
        <span className="compare-side-letter">{id.toUpperCase()}</span>
        <strong>v{side.version}</strong>
        {side.aliases.map((alias) => (
          <span key={alias} className={`alias-badge alias-${alias}`}>
            {alias}
          </span>
        ))}
      </div>
      <div className="muted model-sub">
        {algorithmName(side.algorithm)} · {side.task} · registered {when(side.createdAt)}
      </div>
      <div className="muted model-sub">
        {side.testRows === null
          ? `Evaluation: ${NOT_RECORDED.toLowerCase()}`
          : `Measured on ${formatCount(side.testRows)} test rows${side.evaluationSource === 'run' ? " (from the run's files)" : ''}`}
      </div>
    </div>
  );
}

function algorithmName(algorithm: string): string {
  return algorithmLabels[algorithm] ?? algorithm;
}
