'use client';

import { useState } from 'react';
import type { KnownColumn } from '../../../nodes/_kit/known-columns';
import { parameterReference } from '../../../pipeline/parameters';
import { type FieldProblem, type FormField, messageUnder, rangeText } from './fields';
import { compatibleParameters, type ParameterOption } from './values';
import { widgetKind, widgetsByKind } from './widget-map';
import type { ConnectionOption, ControlProps, RenderField } from './widgets/widget-props';

export interface FieldRowProps {
  field: FormField;
  current: unknown;
  set: (next: unknown) => void;
  columns: KnownColumn[] | undefined;
  connections: ConnectionOption[] | undefined;
  modelNames: string[] | undefined;
  parameters: ParameterOption[];
  problems: FieldProblem[];
  id: string;
}

/**
 * One field of the form: its caption, its widget (chosen by kind from widget-map.ts), a way to take it
 * from a pipeline parameter, its help and its problems.
 */
export function FieldRow({
  field,
  current,
  set,
  columns,
  connections,
  modelNames,
  parameters,
  problems,
  id,
}: FieldRowProps) {
  // A JSON parse error belongs to the value it was typed over: a new value (undo, another edit) drops it.
  const [draft, setDraft] = useState<{ over: unknown; message: string }>();
  const draftError = draft && Object.is(draft.over, current) ? draft.message : undefined;
  const kind = widgetKind(field, current);
  const { Component, labelling } = widgetsByKind[kind];
  // A list shows its entries' problems in the entries; only the list's own stay here.
  const shown = kind === 'list' ? problems.filter((problem) => problem.field === field.name) : problems;
  const messages = [
    ...(draftError ? [draftError] : []),
    ...shown.map((problem) => messageUnder(field.name, problem)),
  ];
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const labelId = `${id}-label`;
  const range = field.widget === 'number' ? rangeText(field) : '';
  const help = [range, field.help].filter(Boolean).join(' · ');
  const describedBy = [help && helpId, messages.length > 0 && errorId].filter(Boolean).join(' ') || undefined;
  const control: ControlProps = { id };
  if (describedBy) control['aria-describedby'] = describedBy;
  if (messages.length > 0) control['aria-invalid'] = true;
  if (field.required) control['aria-required'] = true;

  const label = (
    <>
      {field.label}
      {field.required && (
        <span className="cf-required" aria-hidden="true">
          *
        </span>
      )}
    </>
  );
  const renderField: RenderField = (entry) => (
    <FieldRow
      key={entry.id}
      field={entry.field}
      current={entry.current}
      set={entry.set}
      columns={columns}
      connections={connections}
      modelNames={modelNames}
      parameters={parameters}
      problems={entry.problems}
      id={entry.id}
    />
  );
  const body = (
    <Component
      field={field}
      current={current}
      set={set}
      control={control}
      labelId={labelId}
      label={label}
      columns={columns}
      connections={connections}
      modelNames={modelNames}
      parameters={parameters}
      problems={problems}
      renderField={renderField}
      onDraftError={(message) => setDraft(message === undefined ? undefined : { over: current, message })}
    />
  );

  return (
    <div className={`cf-field cf-field-${kind}`}>
      {labelling !== 'legend' && (
        <div className="cf-label-row">
          {labelling === 'label' && (
            <label className="cf-label" htmlFor={id}>
              {label}
            </label>
          )}
          {labelling === 'named' && (
            <span className="cf-label" id={labelId}>
              {label}
            </span>
          )}
          {labelling === 'inline' && body}
          <ParameterSelect field={field} current={current} set={set} parameters={parameters} />
        </div>
      )}
      {labelling !== 'inline' && body}
      {help && (
        <p className="cf-help" id={helpId}>
          {help}
        </p>
      )}
      <div className="cf-error" id={errorId} aria-live="polite">
        {messages.map((message, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages have no identity of their own
          <p key={index}>{message}</p>
        ))}
      </div>
    </div>
  );
}

/** Takes the field from one of the pipeline's parameters of a fitting type, or back to a value. */
function ParameterSelect({
  field,
  current,
  set,
  parameters,
}: Pick<FieldRowProps, 'field' | 'current' | 'set' | 'parameters'>) {
  const parameter = parameterReference(current);
  const compatible = compatibleParameters(field, parameters);
  if (compatible.length === 0 && parameter === undefined) return null;
  return (
    <select
      className="cf-param-select"
      aria-label={`Take “${field.label}” from a pipeline parameter`}
      value={parameter ?? ''}
      onChange={(event) => set(event.target.value ? { $param: event.target.value } : undefined)}
    >
      <option value="">{parameter === undefined ? 'Parameter…' : 'No parameter'}</option>
      {parameter !== undefined && !compatible.some((option) => option.name === parameter) && (
        <option value={parameter}>{parameter}</option>
      )}
      {compatible.map((option) => (
        <option key={option.name} value={option.name}>
          {option.name} ({option.type})
        </option>
      ))}
    </select>
  );
}
