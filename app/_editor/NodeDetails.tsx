'use client';

import { useQuery } from '@tanstack/react-query';
import { nodeSpec } from '../../nodes/specs';
import { DatasetPreview } from '../_components/dataset/DatasetPreview';
import { DriftReport } from '../_components/drift/DriftReport';
import { EvaluationReport } from '../_components/report/EvaluationReport';
import { useTRPC } from '../_trpc/client';
import { PanelHeader } from './PanelHeader';
import { StepSummary } from './StepSummary';
import type { RunView } from './use-run-view';

/** What a step of a run did: its state, error, log lines, summary and outputs (data or report). */
export function NodeDetails({ run, nodeId, onClose }: { run: RunView; nodeId: string; onClose: () => void }) {
  const step = run.steps.find((candidate) => candidate.nodeId === nodeId);
  const events = run.events.filter((event) => event.nodeId === nodeId);
  const outputs = run.artifacts.filter((artifact) => artifact.stepId === step?.id);
  const spec = step && nodeSpec(step.nodeType);
  return (
    <aside className="details" aria-label={`Details of ${nodeId}`}>
      <PanelHeader title={spec?.title ?? nodeId} closeLabel="Close details" onClose={onClose} />
      {!step ? (
        <p className="muted">This step has not started in this run.</p>
      ) : (
        <>
          <p className={`run-badge status-${step.status}`}>
            {step.status}
            {step.attempt > 1 ? ` · attempt ${step.attempt}` : ''}
          </p>
          {step.message && <p className="muted">{step.message}</p>}
          {step.error && (
            <section className="panel-section">
              <h3>Error</h3>
              <p className="error-text">{step.error}</p>
            </section>
          )}
          {outputs.map((artifact) =>
            artifact.kind === 'dataset' ? (
              <section className="panel-section" key={artifact.id}>
                <h3>Output data</h3>
                <DatasetPreview artifactId={artifact.id} />
              </section>
            ) : artifact.kind === 'report' ? (
              <section className="panel-section" key={artifact.id}>
                <h3>Evaluation report</h3>
                <ReportLoader artifactId={artifact.id} />
              </section>
            ) : artifact.kind === 'drift' ? (
              <section className="panel-section" key={artifact.id}>
                <h3>Drift report</h3>
                <DriftReportLoader artifactId={artifact.id} />
              </section>
            ) : null,
          )}
          {step.outputSummary !== null && step.outputSummary !== undefined && (
            <section className="panel-section">
              <h3>Summary</h3>
              <StepSummary nodeType={step.nodeType} summary={step.outputSummary} />
            </section>
          )}
          <section className="panel-section">
            <h3>Log</h3>
            {events.length === 0 ? (
              <p className="muted">No log lines.</p>
            ) : (
              <ol className="log-lines">
                {events.map((event) => (
                  <li key={event.id} className={`log-${event.level}`}>
                    <time>{new Date(event.createdAt).toLocaleTimeString()}</time> {event.message}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </aside>
  );
}

function ReportLoader({ artifactId }: { artifactId: string }) {
  const trpc = useTRPC();
  const report = useQuery(trpc.artifacts.report.queryOptions({ artifactId }));
  if (report.isError) return <p className="error-text">{report.error.message}</p>;
  if (!report.data) return <p className="muted">Loading the report…</p>;
  return <EvaluationReport report={report.data} />;
}

function DriftReportLoader({ artifactId }: { artifactId: string }) {
  const trpc = useTRPC();
  const report = useQuery(trpc.artifacts.driftReport.queryOptions({ artifactId }));
  if (report.isError) return <p className="error-text">{report.error.message}</p>;
  if (!report.data) return <p className="muted">Loading the report…</p>;
  return <DriftReport report={report.data} />;
}
