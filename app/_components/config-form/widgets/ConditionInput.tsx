'use client';

import type { KnownColumn } from '../../../../nodes/_kit/known-columns';
import {
  type Comparison,
  fromGroup,
  type Group,
  type Operator,
  operatorLabels,
  operators,
  type Part,
  parseValue,
  takesList,
  takesValue,
  toGroup,
  valueText,
} from '../condition-model';
import { CommitText } from './CommitText';
import type { WidgetProps } from './widget-props';

/** Groups nest this deep at most: deeper logic is clearer as separate steps. */
const MAX_NESTING = 2;

/**
 * A condition as rows of "column operator value", matched all or any, with nested groups. The stored
 * condition must read as one (the form shows JSON otherwise).
 */
export function ConditionInput({ field, current, set, columns, control, labelId }: WidgetProps) {
  const id = control.id;
  const describedBy = [labelId, control['aria-describedby']].filter(Boolean).join(' ');
  const group = toGroup(current) ?? { mode: 'all', parts: [] };
  return (
    <fieldset className="cf-condition" id={id} aria-describedby={describedBy}>
      <legend className="cf-visually-hidden">{field.label}</legend>
      <GroupEditor
        group={group}
        onChange={(next) => set(fromGroup(next))}
        columns={columns}
        id={id}
        depth={0}
        label={field.label}
      />
    </fieldset>
  );
}

interface GroupProps {
  group: Group;
  onChange: (next: Group) => void;
  columns: KnownColumn[] | undefined;
  id: string;
  depth: number;
  label: string;
  onRemove?: () => void;
}

function GroupEditor({ group, onChange, columns, id, depth, label, onRemove }: GroupProps) {
  const setPart = (index: number, part: Part | undefined) =>
    onChange({
      ...group,
      parts: part
        ? group.parts.map((other, at) => (at === index ? part : other))
        : group.parts.filter((_, at) => at !== index),
    });
  const add = (part: Part) => onChange({ ...group, parts: [...group.parts, part] });
  const firstColumn = columns?.[0]?.name ?? '';
  return (
    <div className={depth ? 'cf-group cf-group-nested' : 'cf-group'}>
      {group.parts.length > 1 && (
        <div className="cf-inline">
          <label className="cf-sublabel" htmlFor={`${id}-mode`}>
            Match
          </label>
          <select
            id={`${id}-mode`}
            className="cf-input cf-select cf-narrow"
            value={group.mode}
            onChange={(event) => onChange({ ...group, mode: event.target.value === 'any' ? 'any' : 'all' })}
          >
            <option value="all">all of these (and)</option>
            <option value="any">any of these (or)</option>
          </select>
          {onRemove && (
            <button type="button" className="icon-button" title="Remove this group" onClick={onRemove}>
              ✕
            </button>
          )}
        </div>
      )}
      {group.parts.length === 0 && <p className="cf-muted">No condition yet.</p>}
      {group.parts.map((part, index) =>
        'group' in part ? (
          <GroupEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity; their place is it
            key={index}
            group={part.group}
            onChange={(next) => setPart(index, { group: next })}
            columns={columns}
            id={`${id}-${index}`}
            depth={depth + 1}
            label={`${label}, group ${index + 1}`}
            onRemove={() => setPart(index, undefined)}
          />
        ) : (
          <ComparisonRow
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            key={index}
            comparison={part.comparison}
            onChange={(next) => setPart(index, next && { comparison: next })}
            columns={columns}
            label={`${label}, condition ${index + 1}`}
          />
        ),
      )}
      <div className="cf-group-actions">
        <button
          type="button"
          className="cf-link"
          onClick={() => add({ comparison: { column: firstColumn, operator: '=' } })}
        >
          + Condition
        </button>
        {depth < MAX_NESTING && group.parts.length > 0 && (
          <button
            type="button"
            className="cf-link"
            onClick={() =>
              add({ group: { mode: 'any', parts: [{ comparison: { column: firstColumn, operator: '=' } }] } })
            }
          >
            + Group
          </button>
        )}
      </div>
    </div>
  );
}

interface ComparisonProps {
  comparison: Comparison;
  onChange: (next: Comparison | undefined) => void;
  columns: KnownColumn[] | undefined;
  label: string;
}

function ComparisonRow({ comparison, onChange, columns, label }: ComparisonProps) {
  const type = columns?.find((column) => column.name === comparison.column)?.type;
  const known = columns?.some((column) => column.name === comparison.column);
  const setOperator = (operator: Operator) => {
    const { value: _value, ...rest } = comparison;
    // A list and a single value do not convert into each other; the value is typed again.
    const keep = takesValue(operator) && takesList(operator) === takesList(comparison.operator);
    onChange(
      keep && comparison.value !== undefined
        ? { ...rest, operator, value: comparison.value }
        : { ...rest, operator },
    );
  };
  return (
    <fieldset className="cf-comparison" aria-label={label}>
      {columns ? (
        <select
          className="cf-input cf-select"
          aria-label={`${label}: column`}
          value={comparison.column}
          onChange={(event) => onChange({ ...comparison, column: event.target.value })}
        >
          {!known && <option value={comparison.column}>{comparison.column || 'Column…'}</option>}
          {columns.map((column) => (
            <option key={column.name} value={column.name}>
              {column.name}
            </option>
          ))}
        </select>
      ) : (
        <CommitText
          aria-label={`${label}: column`}
          saved={comparison.column}
          placeholder="Column"
          onCommit={(column) => onChange({ ...comparison, column })}
        />
      )}
      <select
        className="cf-input cf-select"
        aria-label={`${label}: operator`}
        value={comparison.operator}
        onChange={(event) => {
          const operator = operators.find((candidate) => candidate === event.target.value);
          if (operator) setOperator(operator);
        }}
      >
        {operators.map((operator) => (
          <option key={operator} value={operator}>
            {operatorLabels[operator]}
          </option>
        ))}
      </select>
      {takesValue(comparison.operator) && (
        <CommitText
          aria-label={`${label}: value`}
          saved={valueText(comparison.value)}
          placeholder={takesList(comparison.operator) ? 'a, b, c' : 'Value'}
          onCommit={(text) => onChange({ ...comparison, value: parseValue(text, comparison.operator, type) })}
        />
      )}
      <button
        type="button"
        className="icon-button"
        title="Remove this condition"
        aria-label={`Remove ${label}`}
        onClick={() => onChange(undefined)}
      >
        ✕
      </button>
    </fieldset>
  );
}
