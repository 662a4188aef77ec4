'use client';

import type { NodeSpec } from '../../nodes/_kit/define-node';
import type { PipelineNode } from '../../pipeline/document';
import type { CompileProblem } from '../../pipeline/problems';
import { inputChoices, reconnectInput } from './document-edits';
import { selectDocument, useEditor } from './editor-store';

/**
 * A step's inputs as menus of the outputs that fit: connecting without dragging, for the keyboard
 * and for pipelines too large to see at once. Each input shows its connection and any problem about
 * it (an unconnected required input).
 */
export function InputsSection({
  node,
  spec,
  problems,
}: {
  node: PipelineNode;
  spec: NodeSpec;
  problems: readonly CompileProblem[];
}) {
  const doc = useEditor(selectDocument);
  const edit = useEditor((state) => state.edit);
  const ports = Object.entries(spec.inputs);
  if (ports.length === 0) return null;
  return (
    <section className="panel-section inputs-section">
      <h3>Inputs</h3>
      {ports.map(([port, input]) => {
        const current = doc.edges.find((edge) => edge.target.node === node.id && edge.target.port === port);
        const choices = inputChoices(doc, node.id, port);
        const value = current ? `${current.source.node}\u0000${current.source.port}` : '';
        const id = `input-${node.id}-${port}`;
        const messages = problems
          .filter((problem) => problem.port === port)
          .map((problem) => problem.message);
        return (
          <div className="field" key={port}>
            <label htmlFor={id}>{input.label}</label>
            <select
              id={id}
              value={value}
              aria-invalid={messages.length > 0 || undefined}
              aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
              onChange={(event) => {
                const [sourceNode, sourcePort] = event.target.value.split('\u0000');
                const source = sourceNode && sourcePort ? { node: sourceNode, port: sourcePort } : undefined;
                edit((document) => reconnectInput(document, node.id, port, source));
              }}
            >
              <option value="">Not connected</option>
              {choices.map((choice) => (
                <option key={`${choice.node}.${choice.port}`} value={`${choice.node}\u0000${choice.port}`}>
                  {choice.label}
                </option>
              ))}
            </select>
            {messages.length > 0 && (
              <div className="cf-error" id={`${id}-error`} aria-live="polite">
                {messages.map((message) => (
                  <p key={message}>{message}</p>
                ))}
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
