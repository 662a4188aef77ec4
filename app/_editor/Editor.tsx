'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { compilePipeline } from '../../pipeline/compile';
import { useViewer } from '../_account/use-viewer';
import { AccountMenu } from '../_components/AccountMenu';
import { useTRPC } from '../_trpc/client';
import { Canvas } from './Canvas';
import { selectDocument, selectUnsaved, useEditor } from './editor-store';
import { Inspector } from './Inspector';
import { NodeDetails } from './NodeDetails';
import { NotificationsPanel } from './NotificationsPanel';
import { Palette } from './Palette';
import { RunDialog } from './RunDialog';
import { SchedulesPanel } from './SchedulesPanel';
import { useFraming } from './use-framing';
import { useRunView } from './use-run-view';
import { useEditorShortcuts } from './use-shortcuts';
import { VersionsPanel } from './VersionsPanel';
import './editor.css';

export function Editor({ pipelineId, runId }: { pipelineId: string; runId?: string }) {
  return (
    <ReactFlowProvider>
      <EditorBody pipelineId={pipelineId} initialRunId={runId} />
    </ReactFlowProvider>
  );
}

function EditorBody({ pipelineId, initialRunId }: { pipelineId: string; initialRunId?: string }) {
  const trpc = useTRPC();
  const flow = useReactFlow();
  const frame = useFraming();
  const [runId, setRunId] = useState(initialRunId);
  const run = useRunView(runId);
  // A run opened from history shows the version that ran; otherwise the latest version.
  const pinnedVersion = initialRunId ? run?.pipelineVersionId : undefined;
  // Fetched fresh each time the editor opens (gcTime 0), then never again: the store owns the document.
  const loaded = useQuery({
    ...trpc.pipelines.get.queryOptions({ id: pipelineId, versionId: pinnedVersion }),
    enabled: !initialRunId || pinnedVersion !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const doc = useEditor(selectDocument);
  const unsaved = useEditor(selectUnsaved);
  const savedVersion = useEditor((state) => state.savedVersion);
  const canUndo = useEditor((state) => state.history.past.length > 0);
  const canRedo = useEditor((state) => state.history.future.length > 0);
  const [asking, setAsking] = useState(false);
  // The canvas takes edits only once the saved document is in the store, so none are overwritten.
  const [ready, setReady] = useState(false);
  const [openNode, setOpenNode] = useState<string | undefined>();
  const [showVersions, setShowVersions] = useState(false);
  const [showNotifications, setShowNotifications] = useState(false);
  const [showSchedules, setShowSchedules] = useState(false);
  const queryClient = useQueryClient();
  const { me, may, whyNot } = useViewer();
  // Until the role is known nothing is editable; a viewer keeps a read-only canvas (the server checks too).
  const canEdit = me !== undefined && may('edit');
  const canRun = me !== undefined && may('run');
  const readOnlyReason = canEdit ? undefined : (whyNot('edit') ?? 'Loading your role…');
  useEffect(() => {
    useEditor.getState().setReadOnly(!canEdit);
  }, [canEdit]);

  useEffect(() => {
    // Loaded once: a later change of query (a new run's version) must not replace the edits.
    if (!loaded.data || ready) return;
    useEditor.getState().load(loaded.data.version.graph, loaded.data.version.version);
    setReady(true);
    // Frame a loaded pipeline once its nodes are on the canvas; an empty one keeps zoom 1.
    if (loaded.data.version.graph.nodes.length) requestAnimationFrame(() => void frame());
  }, [loaded.data, frame, ready]);

  // The compiler is pure and shared: the editor runs it on every edit, no round trip.
  const compiled = useMemo(() => compilePipeline(doc), [doc]);

  const save = useMutation(
    trpc.pipelines.saveVersion.mutationOptions({
      onSuccess: (saved, input) => {
        if (input.document === useEditor.getState().history.present)
          useEditor.getState().markSaved(useEditor.getState().history.present, saved.version);
        toast.success(`Saved as version ${saved.version}`);
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.versions.queryKey({ pipelineId }) });
      },
      onError: (error) => toast.error(`Not saved: ${error.message}`),
    }),
  );
  const saveVersion = save.mutate;
  const onSave = useCallback(() => {
    if (useEditor.getState().readOnly) return;
    const current = useEditor.getState().history.present;
    saveVersion({ pipelineId, document: current });
  }, [saveVersion, pipelineId]);
  useEditorShortcuts(onSave);

  const restore = async (version: { id: string; version: number }) => {
    try {
      const old = await queryClient.fetchQuery(
        trpc.pipelines.get.queryOptions({ id: pipelineId, versionId: version.id }),
      );
      const document = old.version.graph;
      // One undoable step: the work it replaces is one Undo away.
      useEditor.getState().edit(() => document);
      await save.mutateAsync({ pipelineId, document, message: `Restored from version ${version.version}` });
    } catch (error) {
      toast.error(
        `Version ${version.version} not restored: ${error instanceof Error ? error.message : error}`,
      );
    }
  };

  const start = useMutation(
    trpc.runs.start.mutationOptions({
      onSuccess: (started) => {
        setRunId(started.runId);
        setAsking(false);
        toast.success('Run started');
      },
      onError: (error) => toast.error(`Run not started: ${error.message}`),
    }),
  );
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({ onError: (error) => toast.error(`Not cancelled: ${error.message}`) }),
  );

  const runPipeline = async (values: Record<string, unknown>) => {
    const current = useEditor.getState().history.present;
    const problems = compilePipeline(current, {
      parameterValues: values,
      requireValues: true,
      // A run started by hand gets its start time as $scheduledTime.
      builtInValues: { $scheduledTime: new Date().toISOString() },
    }).problems.filter((problem) => problem.severity === 'error');
    if (problems.length) {
      toast.error(
        `Fix ${problems.length} problem${problems.length > 1 ? 's' : ''} first: ${problems[0]?.message}`,
      );
      return;
    }
    // A run always runs a saved version: save first when there are changes.
    let versionId: string | undefined;
    if (useEditor.getState().history.present !== useEditor.getState().saved || savedVersion === undefined) {
      const saved = await save.mutateAsync({ pipelineId, document: current });
      versionId = saved.versionId;
    }
    start.mutate({ pipelineId, versionId, parameters: values });
  };

  const status = run?.status;
  const runError = run?.error;
  const finished = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  // Toasts for runs started here; a finished run opened from history says nothing.
  const startedHere = runId !== undefined && runId !== initialRunId;
  useEffect(() => {
    if (!startedHere) return;
    if (status === 'succeeded') toast.success('Run succeeded');
    else if (status === 'failed') toast.error(`Run failed: ${runError ?? ''}`);
  }, [startedHere, status, runError]);

  if (loaded.isError)
    return <p className="page-error">Could not load the pipeline: {loaded.error.message}</p>;
  if (!ready) return <p className="page-loading muted">Loading the pipeline…</p>;
  const name = loaded.data?.pipeline.name ?? '…';
  return (
    <div className="editor">
      <header className="editor-bar">
        <Link href="/" className="back-link" title="All pipelines">
          ← Pipelines
        </Link>
        <h1 className="pipeline-name">
          {name}
          {unsaved && (
            <span className="unsaved" title="Unsaved changes" role="img" aria-label="Unsaved changes">
              ●
            </span>
          )}
        </h1>
        <span className="muted" title={savedVersion ? `Saved version ${savedVersion}` : undefined}>
          {savedVersion ? `v${savedVersion}` : 'not saved yet'}
        </span>
        {me && !canEdit && (
          <span className="read-only-badge" title={readOnlyReason}>
            Read-only
          </span>
        )}
        {/* A role that may not edit gets no edit tools (the Read-only badge says why); disabled while the role loads. */}
        {(canEdit || !me) && (
          <div className="bar-group" role="toolbar" aria-label="Edit">
            <button
              type="button"
              onClick={onSave}
              title="Save (Ctrl+S)"
              disabled={save.isPending || !canEdit}
            >
              Save
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => useEditor.getState().undo()}
              disabled={!canUndo || !canEdit}
              title="Undo (Ctrl+Z)"
              aria-label="Undo"
            >
              <span aria-hidden="true">↶</span>
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => useEditor.getState().redo()}
              disabled={!canRedo || !canEdit}
              title="Redo (Shift+Ctrl+Z)"
              aria-label="Redo"
            >
              <span aria-hidden="true">↷</span>
            </button>
            <button
              type="button"
              className="secondary"
              title="Arrange the steps left to right"
              disabled={!canEdit}
              onClick={() => {
                useEditor.getState().layout();
                // Framing waits for cards to measure: an empty canvas has none to wait for.
                if (doc.nodes.length) requestAnimationFrame(() => void frame());
              }}
            >
              Auto-layout
            </button>
            <button
              type="button"
              className="secondary"
              title="Add a sticky note"
              disabled={!canEdit}
              onClick={() =>
                useEditor.getState().edit((current) => ({
                  ...current,
                  notes: [
                    ...current.notes,
                    { id: `note_${Date.now().toString(36)}`, text: '', position: { x: 40, y: 40 } },
                  ],
                }))
              }
            >
              Note
            </button>
          </div>
        )}
        <div className="bar-group" role="toolbar" aria-label="Run">
          {run && !finished ? (
            <button
              type="button"
              className="danger"
              disabled={!canRun}
              title={whyNot('run')}
              onClick={() => runId && cancel.mutate({ runId })}
            >
              Cancel run
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => (doc.parameters.length ? setAsking(true) : void runPipeline({}))}
              disabled={start.isPending || !canRun}
              title={whyNot('run')}
            >
              Run
            </button>
          )}
          {run && (
            <span className={`run-badge status-${run.status}`} data-testid="run-status">
              {run.status}
            </span>
          )}
          {run?.startedFor && (
            // A pill beside the status, not a sentence: the bar is full at 1280 px. The title says it whole.
            <Link
              className="run-origin"
              data-testid="run-started-for"
              href={`/models/${encodeURIComponent(run.startedFor.modelName)}?tab=monitoring`}
              title={`Started by the monitor: an alert on ${run.startedFor.subject} of model ${run.startedFor.modelName}`}
            >
              Alert on {run.startedFor.subject}
            </Link>
          )}
          <button
            type="button"
            className="secondary"
            aria-pressed={showVersions}
            title="Saved versions: save with a message, or restore an older one"
            onClick={() => {
              setShowSchedules(false);
              setShowNotifications(false);
              setShowVersions((shown) => !shown);
            }}
          >
            Versions
          </button>
          <button
            type="button"
            className="secondary"
            aria-pressed={showSchedules}
            title="Run this pipeline on a timer"
            onClick={() => {
              setShowVersions(false);
              setShowNotifications(false);
              setShowSchedules((shown) => !shown);
            }}
          >
            Schedules
          </button>
          <button
            type="button"
            className="secondary"
            aria-pressed={showNotifications}
            title="Who hears about failed runs, blocked gates and skipped schedule starts"
            onClick={() => {
              setShowVersions(false);
              setShowSchedules(false);
              setShowNotifications((shown) => !shown);
            }}
          >
            Notify
          </button>
          <Link
            href={`/pipelines/${pipelineId}/runs`}
            className="secondary-link"
            title="Runs of this pipeline"
          >
            History
          </Link>
        </div>
        <AccountMenu compact />
      </header>
      <div className="editor-main">
        <Palette
          readOnlyReason={readOnlyReason}
          onAdd={(type) => {
            const centre = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
            useEditor.getState().add(type, centre);
          }}
        />
        <Canvas problems={compiled.problems} run={run} onOpenNode={setOpenNode} />
        {openNode && run ? (
          <NodeDetails run={run} nodeId={openNode} onClose={() => setOpenNode(undefined)} />
        ) : showSchedules ? (
          <SchedulesPanel
            pipelineId={pipelineId}
            parameters={doc.parameters}
            manageReason={me && may('schedule') ? undefined : (whyNot('schedule') ?? 'Loading your role…')}
            onClose={() => setShowSchedules(false)}
          />
        ) : showNotifications ? (
          <NotificationsPanel
            pipelineId={pipelineId}
            readOnlyReason={readOnlyReason}
            onClose={() => setShowNotifications(false)}
          />
        ) : showVersions ? (
          <VersionsPanel
            pipelineId={pipelineId}
            currentVersion={savedVersion}
            unsaved={unsaved}
            saving={save.isPending}
            readOnlyReason={readOnlyReason}
            onSave={(message) =>
              saveVersion({ pipelineId, document: useEditor.getState().history.present, message })
            }
            onRestore={(version) => void restore(version)}
            onClose={() => setShowVersions(false)}
          />
        ) : (
          <Inspector
            problems={compiled.problems}
            inputColumns={compiled.inputColumns}
            readOnlyReason={readOnlyReason}
          />
        )}
      </div>
      {doc.nodes.length === 0 && (
        <div className="canvas-empty" aria-live="polite">
          {canEdit
            ? 'Drag a step from the left onto the canvas to start, for example Ingest.'
            : 'This pipeline has no steps yet.'}
        </div>
      )}
      {asking && (
        <RunDialog
          parameters={doc.parameters}
          onStart={(values) => void runPipeline(values)}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
