'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { permissionNeeds } from '../../access/roles';
import { useViewer } from '../_account/use-viewer';
import { EmptyState } from '../_components/EmptyState';
import { MonitoringTab } from '../_monitoring/MonitoringTab';
import { RolloutTab } from '../_rollout/RolloutTab';
import { useTRPC } from '../_trpc/client';
import { type AliasChange, AliasDialog } from './AliasDialog';
import { type ComparedVersions, CompareTab } from './CompareTab';
import { DetailsForm } from './DetailsForm';
import { EndpointPanel } from './EndpointPanel';
import { ImportDialog } from './ImportDialog';
import { LedgerTimeline } from './LedgerTimeline';
import { type ModelTab, ModelTabs } from './ModelTabs';
import { TryItPanel } from './TryItPanel';
import { VersionsTable } from './VersionsTable';
import './models.css';

/**
 * One model: its aliases (with roll back), versions (with promote), the ledger, the endpoint with
 * snippets, and a Try it form; on its Monitoring tab, drift, traffic, performance and alerts; on its
 * Compare tab, two versions side by side; on its Rollout tab, shadow and canary traffic for staging,
 * approvals, and production and staging side by side.
 * Moving an alias needs the operator role: others see the controls disabled, with the reason in
 * their tooltip.
 */
export function ModelPage({
  name,
  initialTab = 'overview',
  initialCompare = {},
}: {
  name: string;
  initialTab?: ModelTab;
  initialCompare?: ComparedVersions;
}) {
  const trpc = useTRPC();
  const [tab, setTab] = useState<ModelTab>(initialTab);
  const [compared, setCompared] = useState<ComparedVersions>(initialCompare);
  const [ticked, setTicked] = useState<number[]>([]);
  const chooseCompared = (choice: { a: number; b: number }) => {
    setCompared(choice);
    showCompareAddress(choice);
  };
  // Back on the Compare tab, the address shows the versions it still compares.
  const showTab = (next: ModelTab) => {
    setTab(next);
    if (next === 'compare' && compared.a !== undefined && compared.b !== undefined)
      showCompareAddress({ a: compared.a, b: compared.b });
  };
  const alerts = useQuery(trpc.monitoring.alerts.queryOptions({ name }));
  const requests = useQuery(trpc.rollout.requests.queryOptions({ name }));
  const settings = useQuery(trpc.rollout.settings.queryOptions({ name }));
  const { may, whyNot } = useViewer();
  const [change, setChange] = useState<AliasChange>();
  const [editing, setEditing] = useState(false);
  const [importing, setImporting] = useState(false);
  const shown = useQuery(trpc.models.show.queryOptions({ name }));
  const ledger = useQuery(trpc.models.ledger.queryOptions({ name }));
  const versions = useInfiniteQuery(
    trpc.models.versions.infiniteQueryOptions(
      { name, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );

  if (shown.error) {
    return (
      <main className="list-page">
        <Link className="back-link" href="/models">
          ← Models
        </Link>
        <EmptyState
          title={shown.error.data?.code === 'NOT_FOUND' ? 'No such model' : 'The model could not be loaded'}
          alert
        >
          {shown.error.message}
        </EmptyState>
      </main>
    );
  }
  const model = shown.data;
  if (!model) return <main className="list-page" aria-busy="true" />;
  const entries = ledger.data ?? [];
  const items = versions.data?.pages.flatMap((page) => page.items) ?? [];
  const mayPromote = may('promote');
  const promoteWhyNot = whyNot('promote');
  const endpointSignature = model.tryable[0]?.signature;

  return (
    <main className="list-page model-page">
      <Link className="back-link" href="/models">
        ← Models
      </Link>
      <div className="list-head model-head">
        <div className="model-title">
          <h1>{model.name}</h1>
          {editing ? (
            <DetailsForm
              name={model.name}
              description={model.description}
              tags={model.tags}
              onClose={() => setEditing(false)}
            />
          ) : (
            <>
              {model.description && <p className="muted page-lead">{model.description}</p>}
              <div className="model-tags">
                {model.tags.map((tag) => (
                  <span key={tag} className="model-tag">
                    {tag}
                  </span>
                ))}
                <button
                  type="button"
                  className="link-button"
                  disabled={!may('edit')}
                  title={
                    may('edit')
                      ? 'Edit the description and tags'
                      : `Editing a model's description and tags needs ${permissionNeeds.edit}.`
                  }
                  onClick={() => setEditing(true)}
                >
                  Edit description and tags
                </button>
                <button
                  type="button"
                  className="link-button"
                  disabled={!mayPromote}
                  title={promoteWhyNot ?? 'Register an ONNX file trained elsewhere as the next version'}
                  onClick={() => setImporting(true)}
                >
                  Import a version
                </button>
              </div>
              {importing && <ImportDialog model={model.name} onClose={() => setImporting(false)} />}
            </>
          )}
        </div>
        <div className="alias-cards">
          {(['production', 'staging'] as const).map((alias) => {
            const current = model.aliases[alias];
            const previous = model.rollbackTo[alias];
            const rollbackWhyNot =
              promoteWhyNot ??
              (current === null
                ? `No version is in ${alias}.`
                : previous === null
                  ? `${model.name} had no ${alias} version before version ${current} was promoted: there is nothing to roll back to.`
                  : undefined);
            return (
              <div key={alias} className={`alias-card alias-card-${alias}`}>
                <span className="alias-card-name">{alias}</span>
                <strong className="alias-card-version">{current === null ? '–' : `v${current}`}</strong>
                <button
                  type="button"
                  className="link-button"
                  disabled={rollbackWhyNot !== undefined}
                  title={rollbackWhyNot ?? `Roll ${alias} back to version ${previous}`}
                  onClick={() => {
                    if (current !== null && previous !== null)
                      setChange({ kind: 'rollback', alias, from: current, to: previous });
                  }}
                >
                  Roll back…
                </button>
              </div>
            );
          })}
        </div>
      </div>

      <ModelTabs
        tab={tab}
        onTab={showTab}
        openAlerts={alerts.data ? alerts.data.open.alert + alerts.data.open.warn : 0}
        alerting={(alerts.data?.open.alert ?? 0) > 0}
        pendingPromotions={requests.data?.filter((request) => request.status === 'pending').length ?? 0}
      />

      <div
        id="model-panel-overview"
        role="tabpanel"
        aria-labelledby="model-tab-overview"
        hidden={tab !== 'overview'}
      >
        <section className="panel" aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          {versions.error && <p className="error-text">{versions.error.message}</p>}
          {items.length > 0 ? (
            <>
              {items.length > 1 && (
                <CompareTicked
                  ticked={ticked}
                  onCompare={(choice) => {
                    chooseCompared(choice);
                    setTab('compare');
                  }}
                />
              )}
              <VersionsTable
                modelName={model.name}
                versions={items}
                mayPromote={mayPromote}
                whyNot={promoteWhyNot}
                onPromote={(version) => setChange({ kind: 'promote', version, current: model.aliases })}
                ticked={ticked}
                // A third tick replaces the older of the two.
                onTick={(version, on) =>
                  setTicked((now) =>
                    on
                      ? [...now.filter((each) => each !== version), version].slice(-2)
                      : now.filter((each) => each !== version),
                  )
                }
              />
            </>
          ) : (
            !versions.error && <p className="muted">Loading versions…</p>
          )}
          {versions.hasNextPage && (
            <button
              type="button"
              className="secondary"
              disabled={versions.isFetchingNextPage}
              onClick={() => void versions.fetchNextPage()}
            >
              Older versions
            </button>
          )}
        </section>

        {/* Side by side while the form is short; a wide signature gets the page's width. */}
        <div className={(endpointSignature?.inputs.length ?? 0) > 6 ? 'model-stack' : 'model-columns'}>
          <TryItPanel name={model.name} tryable={model.tryable} />
          <EndpointPanel name={model.name} serveUrl={model.serveUrl} signature={endpointSignature} />
        </div>

        <section className="panel" aria-labelledby="ledger-heading">
          <h2 id="ledger-heading">Promotion ledger</h2>
          {ledger.error && <p className="error-text">{ledger.error.message}</p>}
          {ledger.data && <LedgerTimeline entries={entries} />}
        </section>
      </div>
      <div
        id="model-panel-monitoring"
        role="tabpanel"
        aria-labelledby="model-tab-monitoring"
        hidden={tab !== 'monitoring'}
      >
        {tab === 'monitoring' && <MonitoringTab name={model.name} />}
      </div>
      <div
        id="model-panel-compare"
        role="tabpanel"
        aria-labelledby="model-tab-compare"
        hidden={tab !== 'compare'}
      >
        {tab === 'compare' &&
          (versions.data ? (
            <CompareTab name={model.name} versions={items} chosen={compared} onChoose={chooseCompared} />
          ) : (
            <p className="muted">Loading versions…</p>
          ))}
      </div>
      <div
        id="model-panel-rollout"
        role="tabpanel"
        aria-labelledby="model-tab-rollout"
        hidden={tab !== 'rollout'}
      >
        {tab === 'rollout' && <RolloutTab name={model.name} aliases={model.aliases} />}
      </div>

      {change && (
        <AliasDialog
          model={model.name}
          change={change}
          requiresApproval={settings.data?.requiresApproval ?? false}
          onClose={() => setChange(undefined)}
        />
      )}
    </main>
  );
}

/** Above the versions table: what ticking does, and with two ticked, the button that compares them. */
function CompareTicked({
  ticked,
  onCompare,
}: {
  ticked: readonly number[];
  onCompare: (choice: { a: number; b: number }) => void;
}) {
  const [first, second] = ticked;
  if (first === undefined || second === undefined)
    return (
      <p className="muted compare-tick-hint">
        Tick two versions to compare their metrics, curves, importances and training data side by side
        {first === undefined ? '.' : ` (v${first} ticked).`}
      </p>
    );
  // The older version is the baseline (A).
  const choice = { a: Math.min(first, second), b: Math.max(first, second) };
  return (
    <p className="compare-tick-hint">
      <button type="button" className="primary" onClick={() => onCompare(choice)}>
        Compare v{choice.a} with v{choice.b}
      </button>
    </p>
  );
}

/** The address of the Compare tab with these versions, without a navigation (see ModelTabs). */
function showCompareAddress(choice: { a: number; b: number }) {
  const url = new URL(window.location.href);
  url.searchParams.set('tab', 'compare');
  url.searchParams.set('a', String(choice.a));
  url.searchParams.set('b', String(choice.b));
  window.history.replaceState(window.history.state, '', url);
}
