'use client';

import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import type { AppRouter } from '../_server/root';
import { metricColumns, metricName, metricValue, when } from './format';

/** A row of the versions table, as models.versions answers it. */
export type VersionItem = inferRouterOutputs<AppRouter>['models']['versions']['items'][number];

/**
 * A model's versions, newest first: aliases as badges, the test metrics, gates, where the version
 * came from (its run and pipeline version) and when; a tick box to pick two for the comparison; a
 * download of the version for embedding (its
 * ONNX file and a README) for everyone, and Promote for operators, disabled with the reason for
 * everyone else.
 */
export function VersionsTable({
  modelName,
  versions,
  mayPromote,
  whyNot,
  onPromote,
  ticked,
  onTick,
}: {
  modelName: string;
  versions: VersionItem[];
  mayPromote: boolean;
  whyNot: string | undefined;
  onPromote: (version: number) => void;
  /** The versions ticked for a comparison (two at most). */
  ticked: readonly number[];
  onTick: (version: number, on: boolean) => void;
}) {
  const columns = metricColumns(versions);
  return (
    <table className="data-table versions-table">
      <thead>
        <tr>
          <th>Version</th>
          {columns.map((name) => (
            <th key={name} className="numeric">
              {metricName(name)}
            </th>
          ))}
          <th>Gates</th>
          <th>Made by</th>
          <th>Created</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <tr key={version.version}>
            <td>
              {versions.length > 1 && (
                <input
                  type="checkbox"
                  className="compare-tick"
                  aria-label={`Compare version ${version.version}`}
                  title="Tick two versions to compare them side by side"
                  checked={ticked.includes(version.version)}
                  onChange={(event) => onTick(version.version, event.target.checked)}
                />
              )}
              <span className="version-number">v{version.version}</span>
              {version.aliases.map((alias) => (
                <span key={alias} className={`alias-badge alias-${alias}`}>
                  {alias}
                </span>
              ))}
              <div className="muted model-sub">{version.algorithm}</div>
            </td>
            {columns.map((name) => (
              <td key={name} className="numeric">
                {metricValue(version.metrics[name])}
              </td>
            ))}
            <td>
              <Gates gates={version.gates} />
            </td>
            <td>
              <Provenance version={version} />
            </td>
            <td className="audit-time">
              {when(version.createdAt)}
              {version.createdByEmail && <div className="muted model-sub">{version.createdByEmail}</div>}
            </td>
            <td className="row-actions">
              <a
                className="secondary-link"
                href={embeddingPath(modelName, version.version)}
                download
                title={`Download version ${version.version} for embedding: its model.onnx and a README (inputs, outputs, Python, Node and browser code) in one .zip`}
              >
                {/* Short beside Promote, so the table keeps to the panel; read out in full. */}
                Download<span className="visually-hidden"> for embedding</span>
              </a>
              <button
                type="button"
                className="secondary"
                disabled={!mayPromote}
                title={whyNot ?? `Point production or staging at version ${version.version}`}
                onClick={() => onPromote(version.version)}
              >
                Promote…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The version's embedding download: app/api/models/[name]/versions/[n]/embedding. */
function embeddingPath(name: string, version: number): string {
  return `/api/models/${encodeURIComponent(name)}/versions/${version}/embedding`;
}

function Gates({ gates }: { gates: VersionItem['gates'] }) {
  if (gates.length === 0) return <span className="muted">none</span>;
  const passed = gates.filter((gate) => gate.passed).length;
  const all = passed === gates.length;
  return (
    <span
      className={`state-badge ${all ? 'state-on' : 'state-off'}`}
      title={gates.map((gate) => `${gate.passed ? '✓' : '✗'} ${gate.description}`).join('\n')}
    >
      {all ? '✓' : '✗'} {passed}/{gates.length} passed
    </span>
  );
}

function Provenance({ version }: { version: VersionItem }) {
  if (version.origin === 'import')
    return (
      <>
        <span className="state-badge state-imported">imported</span>
        <div className="model-sub" title={version.importedFile ?? undefined}>
          by {version.importedBy ?? version.createdByEmail ?? 'someone no longer known'}
        </div>
      </>
    );
  if (version.pipelineId === null) return <span className="muted">registered directly</span>;
  const pipeline = `${version.pipelineName ?? 'pipeline'}${version.pipelineVersion === null ? '' : ` · v${version.pipelineVersion}`}`;
  return (
    <>
      <Link
        href={`/pipelines/${version.pipelineId}`}
        title="The pipeline (its version history is in the editor)"
      >
        {pipeline}
      </Link>
      {version.runId && (
        <div className="model-sub">
          <Link className="run-link" href={`/pipelines/${version.pipelineId}?run=${version.runId}`}>
            Run {version.runId.slice(0, 8)}
          </Link>
        </div>
      )}
    </>
  );
}
