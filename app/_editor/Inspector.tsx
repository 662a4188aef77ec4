'use client';

import type { KnownColumn } from '../../nodes/_kit/known-columns';
import { nodeSpec } from '../../nodes/specs';
import type { CompileProblem } from '../../pipeline/problems';
import { ConfigForm } from '../_components/config-form/ConfigForm';
import { selectDocument, updateNode, useEditor } from './editor-store';
import { InputsSection } from './InputsSection';
import { ParametersPanel } from './ParametersPanel';
import { useConnectionOptions } from './use-connection-options';
import { useModelNames } from './use-model-names';

/** The side panel: the selected step's label and settings, or the pipeline's parameters. */
export function Inspector({
  problems,
  inputColumns,
  readOnlyReason,
}: {
  problems: CompileProblem[];
  inputColumns: Record<string, Record<string, KnownColumn[] | undefined>>;
  /** Set when the viewer's role may not edit: every field is shown but disabled, with this tooltip. */
  readOnlyReason?: string;
}) {
  const doc = useEditor(selectDocument);
  const selected = useEditor((state) => state.selectedNodes);
  const edit = useEditor((state) => state.edit);
  const connections = useConnectionOptions();
  const modelNames = useModelNames();
  const node =
    selected.length === 1 ? doc.nodes.find((candidate) => candidate.id === selected[0]) : undefined;
  const spec = node && nodeSpec(node.type);
  if (!node || !spec)
    return (
      <aside className="inspector" aria-label="Settings">
        <fieldset className="read-only-fields" disabled={readOnlyReason !== undefined} title={readOnlyReason}>
          <ParametersPanel parameters={doc.parameters} />
        </fieldset>
        <section className="panel-section">
          <h2>Problems</h2>
          {problems.length === 0 ? (
            <p className="muted">None: the pipeline compiles.</p>
          ) : (
            <ul className="problem-list">
              {problems.map((problem) => (
                <li
                  key={`${problem.code}:${problem.nodeId ?? ''}:${problem.edgeId ?? ''}:${problem.field ?? ''}:${problem.port ?? ''}:${problem.parameter ?? ''}:${problem.message}`}
                  className={problem.severity}
                >
                  {problem.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    );
  const columns = Object.values(inputColumns[node.id] ?? {}).find((known) => known !== undefined);
  return (
    <aside className="inspector" aria-label="Settings">
      <fieldset
        className="panel-section read-only-fields"
        disabled={readOnlyReason !== undefined}
        title={readOnlyReason}
      >
        <h2>{spec.title}</h2>
        <label className="field">
          <span>Name on the canvas</span>
          <input
            // Keyed by the value too, so undo and redo show in the field instead of being typed back.
            key={`${node.id}:${node.label}`}
            defaultValue={node.label}
            placeholder={spec.title}
            onBlur={(event) => {
              if (event.target.value !== node.label)
                edit((current) => updateNode(current, node.id, { label: event.target.value }));
            }}
          />
        </label>
        <ConfigForm
          key={node.id}
          idPrefix={`cfg-${node.id}`}
          spec={spec}
          value={node.config}
          onChange={(config) => edit((current) => updateNode(current, node.id, { config }))}
          columns={columns}
          connections={connections}
          modelNames={modelNames}
          parameters={doc.parameters.map(({ name, type }) => ({ name, type }))}
          problems={problems
            .filter((problem) => problem.nodeId === node.id && problem.field)
            .map((problem) => ({ field: problem.field ?? '', message: problem.message }))}
        />
      </fieldset>
      <InputsSection
        node={node}
        spec={spec}
        problems={problems.filter((problem) => problem.nodeId === node.id && problem.port)}
      />
    </aside>
  );
}
