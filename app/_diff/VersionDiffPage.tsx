'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { AppShell } from '../_components/AppShell';
import { PanelHeader } from '../_editor/PanelHeader';
import { useTRPC } from '../_trpc/client';
import { ChangeList } from './ChangeList';
import { DiffCanvas, type FocusRequest } from './DiffCanvas';
import { NodeChanges } from './NodeChanges';
import '../_editor/editor.css';
import './version-diff.css';

/**
 * Two saved versions of a pipeline on one read-only canvas, coloured by what happened to each step
 * and connection, with the changes listed beside it. The versions live in the address
 * (?from=N&to=M), so a comparison can be linked; without them the latest two are compared.
 */
export function VersionDiffPage({
  pipelineId,
  from,
  to,
}: {
  pipelineId: string;
  from: number | undefined;
  to: number | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const versions = useQuery(trpc.pipelines.versions.queryOptions({ pipelineId }));
  const latest = versions.data?.[0]?.version;
  const shownTo = to ?? latest;
  const shownFrom = from ?? (shownTo === undefined ? undefined : Math.max(1, shownTo - 1));
  const compared = useQuery(
    trpc.pipelines.compareVersions.queryOptions(
      { pipelineId, from: shownFrom ?? 1, to: shownTo ?? 1 },
      { enabled: shownFrom !== undefined && shownTo !== undefined },
    ),
  );
  // A step picked in one comparison means nothing in another: the pick remembers which it was made in.
  const comparison = `${shownFrom}→${shownTo}`;
  const [picked, setPicked] = useState<{ comparison: string; nodeId: string }>();
  const selected = picked?.comparison === comparison ? picked.nodeId : undefined;
  const setSelected = (nodeId: string | undefined) =>
    setPicked(nodeId === undefined ? undefined : { comparison, nodeId });
  const [focus, setFocus] = useState<FocusRequest & { comparison: string }>();
  // Picked in the list: also brought into view, as the step may be off screen.
  const selectAndShow = (nodeId: string) => {
    setSelected(nodeId);
    setFocus({ comparison, nodeId });
  };

  const show = (next: { from?: number; to?: number }) =>
    router.replace(`/pipelines/${pipelineId}/diff?from=${next.from ?? shownFrom}&to=${next.to ?? shownTo}`);
  const selectedEntry = compared.data?.diff.nodes.find((entry) => entry.id === selected);
  const error = versions.error ?? compared.error;

  return (
    <AppShell>
      <div className="diff-page">
        <div className="diff-bar">
          <div className="bar-group">
            <Link href={`/pipelines/${pipelineId}`} className="back-link">
              ← Editor
            </Link>
            <h1>
              Compare versions
              {compared.data && <span className="muted"> · {compared.data.pipeline.name}</span>}
            </h1>
          </div>
          {versions.data && shownFrom !== undefined && shownTo !== undefined && (
            <div className="bar-group diff-pickers">
              <VersionPicker
                label="From"
                value={shownFrom}
                versions={versions.data}
                onPick={(version) => show({ from: version })}
              />
              <button
                type="button"
                className="secondary"
                title="Swap the two versions"
                aria-label="Swap the two versions"
                onClick={() => show({ from: shownTo, to: shownFrom })}
              >
                ⇄
              </button>
              <VersionPicker
                label="To"
                value={shownTo}
                versions={versions.data}
                onPick={(version) => show({ to: version })}
              />
            </div>
          )}
        </div>
        {error && <p className="error-text diff-error">{error.message}</p>}
        {versions.data?.length === 1 && (
          <p className="empty-state diff-error">
            This pipeline has one version so far: save another to compare.
          </p>
        )}
        {compared.data && (
          <div className="diff-main">
            <ReactFlowProvider>
              <DiffCanvas
                diff={compared.data.diff}
                selected={selected}
                focus={focus?.comparison === comparison ? focus : undefined}
                onSelect={setSelected}
              />
            </ReactFlowProvider>
            <aside className="details diff-side" aria-label="Changes">
              {selectedEntry ? (
                <>
                  <PanelHeader
                    title="Step"
                    closeLabel="Back to all changes"
                    onClose={() => setSelected(undefined)}
                  />
                  <NodeChanges
                    entry={selectedEntry}
                    fromVersion={compared.data.from.version}
                    toVersion={compared.data.to.version}
                  />
                </>
              ) : (
                <>
                  <header className="details-head">
                    <h2>
                      Version {compared.data.from.version} → {compared.data.to.version}
                    </h2>
                  </header>
                  <VersionFacts version={compared.data.to} />
                  <ChangeList
                    diff={compared.data.diff}
                    fromVersion={compared.data.from.version}
                    toVersion={compared.data.to.version}
                    onSelect={selectAndShow}
                  />
                </>
              )}
            </aside>
          </div>
        )}
        {compared.isPending && shownTo !== undefined && <p className="muted diff-error">Comparing…</p>}
      </div>
    </AppShell>
  );
}

/** One end of the comparison: a pick among the pipeline's saved versions, newest first. */
function VersionPicker({
  label,
  value,
  versions,
  onPick,
}: {
  label: string;
  value: number;
  versions: { id: string; version: number; message: string }[];
  onPick: (version: number) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(event) => onPick(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.id} value={version.version}>
            {versionText(version)}
          </option>
        ))}
      </select>
    </label>
  );
}

function versionText(version: { version: number; message: string }): string {
  const message = version.message.length > 40 ? `${version.message.slice(0, 39)}…` : version.message;
  return message ? `v${version.version} · ${message}` : `v${version.version}`;
}

/** Who saved the newer version, when, and with what message. */
function VersionFacts({ version }: { version: { author: string; message: string; createdAt: Date } }) {
  return (
    <p className="muted diff-facts">
      Saved by {version.author} on {version.createdAt.toLocaleString()}
      {version.message && (
        <>
          : <q>{version.message}</q>
        </>
      )}
    </p>
  );
}
