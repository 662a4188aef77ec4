'use client';

import { useEffect, useMemo, useState } from 'react';
import type { NodeSpec } from '../../../nodes/_kit/define-node';
import type { KnownColumn } from '../../../nodes/_kit/known-columns';
import { FieldRow } from './FieldRow';
import {
  type FieldProblem,
  type FormField,
  formFields,
  mergeProblems,
  problemsFor,
  validateConfig,
} from './fields';
import { type ParameterOption, sameValue, withField } from './values';
import type { ConnectionOption } from './widgets/widget-props';
import './config-form.css';

export interface ConfigFormProps {
  spec: NodeSpec;
  /** The node's config as saved: fields left out take their defaults. */
  value: Record<string, unknown>;
  /** Called once per change with the whole next config (one undo step each). */
  onChange: (next: Record<string, unknown>) => void;
  /** The upstream dataset's columns, when the compiler knows them. */
  columns?: KnownColumn[];
  /** The connections ingest nodes may choose; a name is typed in until they are known. */
  connections?: ConnectionOption[];
  /** The registered models' names a deploy node may pick; a new name is typed in. */
  modelNames?: string[];
  /** The pipeline's parameters, offered to fields of a compatible type. */
  parameters: ParameterOption[];
  /** The compiler's problems for this node, shown under their fields. */
  problems?: FieldProblem[];
  /** Prefix of the element ids, unique on the page (e.g. the node id). */
  idPrefix: string;
}

/**
 * The side-panel form of one node: a labelled control per config field, derived from the node type's
 * zod schema and form hints. Defaults show as placeholders and are never written into the config.
 */
export function ConfigForm({
  spec,
  value,
  onChange,
  columns,
  connections,
  modelNames,
  parameters,
  problems,
  idPrefix,
}: ConfigFormProps) {
  const fields = formFields(spec);
  const allProblems = useMemo(
    () => mergeProblems(problems ?? [], validateConfig(spec, value)),
    [problems, spec, value],
  );
  const names = new Set(fields.map((field) => field.name));
  const general = allProblems.filter((problem) => !names.has(problem.field.split('.')[0] ?? ''));
  const basic = fields.filter((field) => !field.advanced);
  const advanced = fields.filter((field) => field.advanced);
  const advancedProblems = advanced.filter((field) => problemsFor(field.name, allProblems).length > 0).length;
  const advancedSet = advanced.filter((field) => value[field.name] !== undefined).length;

  const [advancedOpen, setAdvancedOpen] = useState(advancedProblems > 0);
  useEffect(() => {
    if (advancedProblems > 0) setAdvancedOpen(true);
  }, [advancedProblems]);

  const set = (field: FormField, next: unknown) => {
    const updated = withField(value, field, next);
    if (!sameValue(updated, value)) onChange(updated);
  };

  const row = (field: FormField) => (
    <FieldRow
      key={field.name}
      field={field}
      current={value[field.name]}
      set={(next) => set(field, next)}
      columns={columns}
      connections={connections}
      modelNames={modelNames}
      parameters={parameters}
      problems={problemsFor(field.name, allProblems)}
      id={`${idPrefix}-${field.name}`}
    />
  );

  return (
    <div className="cf">
      {spec.description && <p className="cf-description">{spec.description}</p>}
      {general.length > 0 && (
        <ul className="cf-general" aria-label="Problems with this step">
          {general.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      {fields.length === 0 && <p className="cf-empty">This step has nothing to configure.</p>}
      {basic.map(row)}
      {advanced.length > 0 && (
        <details
          className="cf-advanced"
          open={advancedOpen}
          onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}
        >
          <summary>
            <span>Advanced</span>
            {advancedSet > 0 && <span className="cf-summary-note">{advancedSet} changed</span>}
            {advancedProblems > 0 && (
              <span className="cf-summary-bad">
                {advancedProblems} {advancedProblems === 1 ? 'problem' : 'problems'}
              </span>
            )}
          </summary>
          <div className="cf-advanced-body">{advanced.map(row)}</div>
        </details>
      )}
    </div>
  );
}
