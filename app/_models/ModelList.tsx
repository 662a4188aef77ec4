'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useViewer } from '../_account/use-viewer';
import { type Choice, ChoiceFilter } from '../_components/ChoiceFilter';
import { EmptyState } from '../_components/EmptyState';
import { ListHead } from '../_components/ListHead';
import { LoadMore } from '../_components/LoadMore';
import { OpenPipelinesLink } from '../_components/OpenPipelinesLink';
import { SearchField } from '../_components/SearchField';
import { openAlertsText } from '../_monitoring/monitoring-view';
import { useTRPC } from '../_trpc/client';
import { metricName, metricValue, when } from './format';
import { ImportDialog } from './ImportDialog';
import './models.css';

type AliasFilter = '' | 'production' | 'staging';

const aliasChoices: Choice<AliasFilter>[] = [
  { value: '', label: 'Any alias' },
  { value: 'production', label: 'In production' },
  { value: 'staging', label: 'In staging' },
];

/** Every registered model with its production and staging versions; search by text, tag or alias. */
export function ModelList() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [alias, setAlias] = useState<AliasFilter>('');
  const [tag, setTag] = useState<string>();
  const list = useInfiniteQuery(
    trpc.models.list.infiniteQueryOptions(
      { search: search.trim() || undefined, alias: alias || undefined, tag, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const alerting = useQuery(trpc.monitoring.openByModel.queryOptions());
  const openAlerts = new Map((alerting.data ?? []).map((entry) => [entry.name, entry]));
  const filtered = search.trim() !== '' || alias !== '' || tag !== undefined;
  const { may, whyNot } = useViewer();
  const [importing, setImporting] = useState(false);

  return (
    <main className="list-page">
      <ListHead
        title="Models"
        actions={
          <button
            type="button"
            disabled={!may('promote')}
            title={
              whyNot('promote') ??
              (may('promote') ? 'Register an ONNX file trained elsewhere as a model version' : undefined)
            }
            onClick={() => setImporting(true)}
          >
            Import model
          </button>
        }
      >
        Versions registered by Deploy steps or imported, with the ones in production and staging. Open a model
        to promote or roll back a version, copy its endpoint, or try a prediction.
      </ListHead>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
      <div className="list-tools">
        <SearchField
          label="Search models"
          placeholder="Search by name or description"
          value={search}
          onChange={setSearch}
        />
        <ChoiceFilter label="Alias" choices={aliasChoices} value={alias} onChange={setAlias} />
        {tag !== undefined && (
          <span className="tag-filter">
            Tag <span className="model-tag">{tag}</span>
            <button type="button" className="link-button" onClick={() => setTag(undefined)}>
              Clear
            </button>
          </span>
        )}
      </div>
      {list.error && <p className="error-text">{list.error.message}</p>}
      {list.isPending && <p className="muted">Loading models…</p>}
      {list.isSuccess && items.length === 0 && !filtered && <NoModels />}
      {list.isSuccess && items.length === 0 && filtered && (
        <p className="muted">No model matches. Clear the search or the filters to see them all.</p>
      )}
      {items.length > 0 && (
        <table className="data-table models-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Production</th>
              <th>Staging</th>
              <th>Headline metric</th>
              <th>Versions</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((model) => (
              <tr key={model.id}>
                <td>
                  <Link href={`/models/${encodeURIComponent(model.name)}`}>{model.name}</Link>
                  <OpenAlertsMark name={model.name} open={openAlerts.get(model.name)} />
                  {model.description && <div className="muted model-sub">{model.description}</div>}
                  {model.tags.length > 0 && (
                    <div className="model-tags">
                      {model.tags.map((each) => (
                        <button
                          key={each}
                          type="button"
                          className="model-tag"
                          title={`Only models tagged ${each}`}
                          onClick={() => setTag(each)}
                        >
                          {each}
                        </button>
                      ))}
                    </div>
                  )}
                </td>
                <td>
                  <AliasCell alias="production" version={model.production?.version} />
                </td>
                <td>
                  <AliasCell alias="staging" version={model.staging?.version} />
                </td>
                <td>
                  {model.headline ? (
                    <>
                      <span className="metric-value">{metricValue(model.headline.value)}</span>{' '}
                      <span className="muted">
                        {metricName(model.headline.name)} · v{model.headline.version}
                      </span>
                    </>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td>{model.versionCount}</td>
                <td className="audit-time">{when(model.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore pages={list} label="Show more" />
    </main>
  );
}

function AliasCell({ alias, version }: { alias: 'production' | 'staging'; version: number | undefined }) {
  if (version === undefined) return <span className="muted">–</span>;
  return <span className={`alias-badge alias-${alias}`}>v{version}</span>;
}

function NoModels() {
  return (
    <EmptyState title="No models yet" action={<OpenPipelinesLink />}>
      A model lands here when a pipeline registers it: add a <strong>Deploy</strong> node after Evaluate
      (palette category Deploy), give it a model name, and run the pipeline. Each run adds a version; the node
      can also put it in staging or production when its gates pass.
    </EmptyState>
  );
}

/** A model with open alerts says so beside its name, linking to its Monitoring tab. */
function OpenAlertsMark({ name, open }: { name: string; open: { alert: number; warn: number } | undefined }) {
  if (!open) return null;
  const count = open.alert + open.warn;
  return (
    <Link
      className={`model-alert-mark ${open.alert > 0 ? 'state-alert' : 'state-warn'}`}
      href={`/models/${encodeURIComponent(name)}?tab=monitoring`}
      title={`${open.alert} alert, ${open.warn} warning: open the Monitoring tab`}
    >
      {openAlertsText(count)}
    </Link>
  );
}
