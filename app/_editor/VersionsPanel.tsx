'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';
import { PanelHeader } from './PanelHeader';

export interface VersionsPanelProps {
  pipelineId: string;
  /** The version the editor's document was loaded from or last saved as. */
  currentVersion: number | undefined;
  unsaved: boolean;
  saving: boolean;
  onSave: (message: string) => void;
  onRestore: (version: { id: string; version: number }) => void;
  onClose: () => void;
  /** Set when the viewer's role may not edit: saving and restoring are disabled with this tooltip. */
  readOnlyReason?: string;
}

/**
 * Every saved version, newest first, with its message. Restoring one never rewrites history: the old
 * document becomes the editor's (one undoable step) and is saved as a new version.
 */
export function VersionsPanel({
  pipelineId,
  currentVersion,
  unsaved,
  saving,
  onSave,
  onRestore,
  onClose,
  readOnlyReason,
}: VersionsPanelProps) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.pipelines.versions.queryOptions({ pipelineId }));
  const [message, setMessage] = useState('');
  return (
    <aside className="details versions" aria-label="Versions">
      <PanelHeader title={'Versions'} closeLabel="Close versions" onClose={onClose} />
      <form
        className="panel-section version-save"
        onSubmit={(event) => {
          event.preventDefault();
          onSave(message.trim());
          setMessage('');
        }}
      >
        <fieldset className="read-only-fields" disabled={readOnlyReason !== undefined} title={readOnlyReason}>
          <label className="field">
            What changed (optional)
            <input
              value={message}
              maxLength={500}
              placeholder={unsaved ? 'e.g. Clip outliers before scaling' : 'No unsaved changes'}
              onChange={(event) => setMessage(event.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={saving || !unsaved}>
            Save as a new version
          </button>
        </fieldset>
      </form>
      <section className="panel-section">
        {versions.isPending && <p className="muted">Loading versions…</p>}
        {versions.isError && <p className="error">Could not load the versions: {versions.error.message}</p>}
        {versions.data && versions.data.length > 1 && (
          <Link
            href={`/pipelines/${pipelineId}/diff?from=${(versions.data[1] ?? versions.data[0])?.version}&to=${versions.data[0]?.version}`}
            className="secondary-link version-compare"
            title="See two versions on one canvas, with what was added, removed and changed"
          >
            Compare versions
          </Link>
        )}
        {versions.data && (
          <ol className="version-list">
            {versions.data.map((version) => {
              const current = version.version === currentVersion;
              return (
                <li key={version.id} className={current ? 'version current' : 'version'}>
                  <div className="version-head">
                    <strong>Version {version.version}</strong>
                    {current && <span className="version-badge">{unsaved ? 'edited' : 'open'}</span>}
                    <time className="muted" dateTime={version.createdAt.toISOString()}>
                      {whenText(version.createdAt)}
                    </time>
                  </div>
                  {version.message && <p className="version-message">{version.message}</p>}
                  {currentVersion !== undefined && version.version !== currentVersion && (
                    <Link
                      href={`/pipelines/${pipelineId}/diff?from=${version.version}&to=${currentVersion}`}
                      className="link-button version-diff-link"
                      title={`What changed between version ${version.version} and version ${currentVersion}`}
                    >
                      Compare with v{currentVersion}
                    </Link>
                  )}
                  {!(current && !unsaved) && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={saving || readOnlyReason !== undefined}
                      title={
                        readOnlyReason ??
                        'Open this version and save it as the newest; Undo brings your current work back'
                      }
                      onClick={() => onRestore(version)}
                    >
                      Restore
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </aside>
  );
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago" within a day, else the date and time. */
export function whenText(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (seconds > -60) return 'just now';
  if (seconds > -3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (seconds > -86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return date.toLocaleString();
}
