'use client';

import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { nodeSpec } from '../../nodes/specs';
import { formatSeconds } from '../_components/format';
import type { StepView } from './use-run-view';

export interface StepNodeData extends Record<string, unknown> {
  type: string;
  label: string;
  problems: string[];
  step?: StepView;
}

export type StepFlowNode = Node<StepNodeData, 'step'>;

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  cached: 'Reused from cache',
};

/** A step on the canvas: its ports, its name, and while a run is shown its state. */
export function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  const spec = nodeSpec(data.type);
  const inputs = Object.entries(spec?.inputs ?? {});
  const outputs = Object.entries(spec?.outputs ?? {});
  const step = data.step;
  const status = step?.status;
  return (
    <div
      className={`step-node${selected ? ' selected' : ''}${data.problems.length ? ' has-problems' : ''}`}
      data-status={status ?? 'idle'}
      data-testid={`node-${data.label || data.type}`}
      title={data.problems.join('\n') || undefined}
    >
      <div className="step-node-head">
        <span className={`step-category cat-${spec?.category ?? 'unknown'}`} aria-hidden="true" />
        <span className="step-title">{data.label || spec?.title || data.type}</span>
        {data.problems.length > 0 && (
          <span className="step-problem-badge" role="img" aria-label={`${data.problems.length} problems`}>
            !
          </span>
        )}
      </div>
      <div className="step-node-body">
        {status ? (
          <>
            <span className="step-status" data-testid="step-status">
              {STATUS_TEXT[status] ?? status}
            </span>
            {step?.attempt && step.attempt > 1 ? (
              <span className="step-meta">attempt {step.attempt}</span>
            ) : null}
            {durationOf(step) ? <span className="step-meta">{durationOf(step)}</span> : null}
            {status === 'running' && (
              <div
                className="step-progress"
                role="progressbar"
                aria-valuenow={Math.round(step.progress * 100)}
              >
                <div style={{ width: `${Math.round(step.progress * 100)}%` }} />
              </div>
            )}
          </>
        ) : (
          <span className="step-meta">
            {spec ? (data.label ? spec.title : categoryText(spec.category)) : 'Unknown step type'}
          </span>
        )}
      </div>
      {inputs.map(([port, input], index) => (
        <Handle
          key={port}
          id={port}
          type="target"
          position={Position.Left}
          className={`port port-${input.kind}`}
          style={{ top: portTop(index, inputs.length) }}
          title={`${input.label} (${input.kind})`}
        />
      ))}
      {outputs.map(([port, output], index) => (
        <Handle
          key={port}
          id={port}
          type="source"
          position={Position.Right}
          className={`port port-${output.kind}`}
          style={{ top: portTop(index, outputs.length) }}
          title={`${output.label} (${output.kind})`}
        />
      ))}
    </div>
  );
}

function portTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

function durationOf(step: StepView | undefined): string | undefined {
  if (!step?.startedAt) return undefined;
  const end = step.finishedAt ? new Date(step.finishedAt).getTime() : Date.now();
  return formatSeconds((end - new Date(step.startedAt).getTime()) / 1000);
}

function categoryText(category: string): string {
  return `${category.charAt(0).toUpperCase()}${category.slice(1)} step`;
}
