'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import classification from '../../examples/classification.pipeline.json';
import regression from '../../examples/regression.pipeline.json';
import { useViewer } from '../_account/use-viewer';
import { useTRPC } from '../_trpc/client';
import { EmptyState } from './EmptyState';
import { formatBytes } from './format-bytes';
import { SearchField } from './SearchField';

const templates = [
  { name: 'Blank', document: undefined },
  { name: 'Classification', document: classification },
  { name: 'Regression', document: regression },
] as const;

/** Every pipeline with its last run; create from a template, open, rename, duplicate, archive, import. */
export function PipelineList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<'edited' | 'run'>('edited');
  const { me, may, whyNot } = useViewer();
  // Disabled until the role is known; a viewer sees why on every control (the server refuses too).
  const canEdit = me !== undefined && may('edit');
  const notAllowed = whyNot('edit');
  const list = useQuery(trpc.pipelines.list.queryOptions({ search: search || undefined, limit: 100 }));
  const diskUse = useQuery(trpc.retention.diskUse.queryOptions());
  const bytesOf = new Map(diskUse.data?.pipelines.map((row) => [row.pipelineId, row.bytes]));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
  const create = useMutation(
    trpc.pipelines.create.mutationOptions({
      onSuccess: (created) => router.push(`/pipelines/${created.id}`),
      onError: (error) => toast.error(error.message),
    }),
  );
  const rename = useMutation(
    trpc.pipelines.rename.mutationOptions({
      onSuccess: refresh,
      onError: (error) => toast.error(error.message),
    }),
  );
  const duplicate = useMutation(
    trpc.pipelines.duplicate.mutationOptions({
      onSuccess: refresh,
      onError: (error) => toast.error(error.message),
    }),
  );
  const archive = useMutation(
    trpc.pipelines.archive.mutationOptions({
      onSuccess: refresh,
      onError: (error) => toast.error(error.message),
    }),
  );

  const items = [...(list.data?.items ?? [])].sort((a, b) =>
    sort === 'edited'
      ? b.updatedAt.getTime() - a.updatedAt.getTime()
      : (b.lastRun?.startedAt.getTime() ?? 0) - (a.lastRun?.startedAt.getTime() ?? 0),
  );

  const importFile = async (file: File) => {
    try {
      const document: unknown = JSON.parse(await file.text());
      create.mutate({ name: file.name.replace(/\.pipeline\.json$|\.json$/, ''), document, origin: 'import' });
    } catch {
      toast.error(`${file.name} is not a pipeline JSON file`);
    }
  };

  return (
    <main className="list-page">
      <div className="list-head">
        <h1>Pipelines</h1>
        <div className="bar-group">
          {templates.map((template) => (
            <button
              key={template.name}
              type="button"
              className={template.name === 'Blank' ? 'primary' : 'secondary'}
              disabled={!canEdit}
              title={notAllowed}
              onClick={() =>
                create.mutate({
                  name: template.name === 'Blank' ? 'Untitled pipeline' : `${template.name} pipeline`,
                  document: template.document,
                })
              }
            >
              {template.name === 'Blank' ? 'New pipeline' : `From template: ${template.name}`}
            </button>
          ))}
          <label
            className={`secondary file-button${canEdit ? '' : ' disabled'}`}
            title={notAllowed}
            aria-disabled={!canEdit}
          >
            Import JSON
            <input
              type="file"
              disabled={!canEdit}
              accept=".json,application/json"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void importFile(file);
              }}
            />
          </label>
        </div>
      </div>
      <div className="list-tools">
        <SearchField
          label="Search pipelines"
          placeholder="Search pipelines"
          value={search}
          onChange={setSearch}
        />
        <label>
          Sort by{' '}
          <select value={sort} onChange={(event) => setSort(event.target.value === 'run' ? 'run' : 'edited')}>
            <option value="edited">last edit</option>
            <option value="run">last run</option>
          </select>
        </label>
      </div>
      {list.data && items.length === 0 && (
        <EmptyState title={search ? `No pipeline matches “${search}”` : 'No pipelines yet'}>
          {canEdit
            ? 'Start from a template, or a blank canvas, with the buttons above.'
            : 'An editor or admin creates pipelines; you will see them here.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Last edit</th>
              <th>Last run</th>
              <th className="numeric">Disk use</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link href={`/pipelines/${item.id}`}>{item.name}</Link>
                </td>
                <td>{item.updatedAt.toLocaleString()}</td>
                <td>
                  {item.lastRun ? (
                    <Link
                      href={`/pipelines/${item.id}?run=${item.lastRun.id}`}
                      className={`run-badge status-${item.lastRun.status}`}
                    >
                      {item.lastRun.status}
                    </Link>
                  ) : (
                    <span className="muted">never run</span>
                  )}
                </td>
                <td className="numeric">{diskUse.data ? formatBytes(bytesOf.get(item.id) ?? 0) : ''}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="link-button"
                    disabled={!canEdit}
                    title={notAllowed}
                    onClick={() => {
                      const name = window.prompt('New name', item.name);
                      if (name?.trim()) rename.mutate({ id: item.id, name });
                    }}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    disabled={!canEdit}
                    title={notAllowed}
                    onClick={() => duplicate.mutate({ id: item.id })}
                  >
                    Duplicate
                  </button>
                  <a className="link-button" href={`/api/pipelines/${item.id}/export`} download>
                    Export
                  </a>
                  <button
                    type="button"
                    className="link-button"
                    disabled={!canEdit}
                    title={notAllowed}
                    onClick={() => archive.mutate({ id: item.id })}
                  >
                    Archive
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length > 0 && diskUse.data && (
        <p className="muted disk-use-note">
          Run files take {formatBytes(diskUse.data.totalBytes)} in all;{' '}
          {diskUse.data.retentionDays === null
            ? 'they are kept until deleted.'
            : `those of runs that ended over ${diskUse.data.retentionDays} days ago are deleted daily.`}
        </p>
      )}
    </main>
  );
}
