'use client';

import { useState } from 'react';
import { logicalTypes } from '../../../../nodes/_data/dataset-schema';
import type { KnownColumn } from '../../../../nodes/_kit/known-columns';
import { isByType, selectorMode, splitParameters, toggleName } from '../values';
import { ColumnChecklist } from './ColumnChecklist';
import { NamesText } from './NamesText';
import { ParameterChips, withoutReference } from './ParameterChips';
import type { WidgetProps } from './widget-props';

type ColumnsMode = 'default' | 'names' | 'byType';

/** The known columns, then the chosen names the data lacks, marked missing. */
function listed(known: KnownColumn[], chosen: readonly string[]) {
  return [
    ...known,
    ...chosen
      .filter((name) => !known.some((column) => column.name === name))
      .map((name) => ({ name, missing: true })),
  ];
}

/**
 * Columns: a list of names (checkboxes of the known columns, or typed) or every column of a type
 * except some ({byType, except}); an optional selector can also be left to its default.
 */
export function ColumnsInput({ field, current, set, control, columns, label }: WidgetProps) {
  const stored = selectorMode(current);
  // "Choose" with nothing chosen yet is a state of the form only: an empty list is not a valid config.
  const [pendingNames, setPendingNames] = useState(false);
  const mode: ColumnsMode =
    stored === 'names' ? 'names' : stored === 'byType' ? 'byType' : pendingNames ? 'names' : 'default';
  const modes: { mode: ColumnsMode; label: string }[] = [
    ...(field.required ? [] : [{ mode: 'default' as const, label: 'Default' }]),
    { mode: 'names', label: 'Choose' },
    { mode: 'byType', label: 'By type' },
  ];
  // Parameters in a list (the target, in the templates) stay as they are and show as chips.
  const { names, parameters: nameParameters } = splitParameters(Array.isArray(current) ? current : []);
  const byType = isByType(current) ? current : undefined;
  const { names: except, parameters: exceptParameters } = splitParameters(byType?.except ?? []);

  const switchTo = (next: ColumnsMode) => {
    setPendingNames(next === 'names');
    if (next === 'default' || next === 'names') {
      if (stored !== 'names') set(undefined);
      return;
    }
    const firstType = columns?.[0]?.type ?? 'numeric';
    set({ byType: firstType });
  };
  const setNames = (next: string[]) => {
    const all = [...next, ...nameParameters];
    set(all.length ? all : undefined);
  };
  const setExceptList = (all: unknown[] | undefined) => {
    if (byType) set(all?.length ? { byType: byType.byType, except: all } : { byType: byType.byType });
  };
  const setExcept = (next: string[]) => setExceptList([...next, ...exceptParameters]);

  const exceptChips = byType && (
    <ParameterChips
      references={exceptParameters}
      onRemove={(reference) => setExceptList(withoutReference(byType.except, reference))}
    />
  );
  const ofType = byType && columns ? columns.filter((column) => column.type === byType.byType) : undefined;
  const matched = ofType?.filter((column) => !except.includes(column.name));

  return (
    <fieldset className="cf-fieldset" id={control.id} aria-describedby={control['aria-describedby']}>
      <legend className="cf-label cf-legend">{label}</legend>
      <div className="cf-segmented">
        {modes.map((option) => (
          <label key={option.mode} className="cf-segment">
            <input
              type="radio"
              name={`${control.id}-mode`}
              checked={mode === option.mode}
              onChange={() => switchTo(option.mode)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      {mode === 'default' && <p className="cf-muted">Not set: the step’s default applies.</p>}
      {mode === 'names' && (
        <ParameterChips
          references={nameParameters}
          onRemove={(reference) => set(withoutReference(current, reference))}
        />
      )}
      {mode === 'names' &&
        (columns ? (
          <>
            <ColumnChecklist
              columns={listed(columns, names)}
              chosen={names}
              label={`${field.label}: columns`}
              onToggle={(name, on) => setNames(toggleName(names, name, on))}
            />
            <p className="cf-muted">
              {names.length} of {columns.length} chosen
            </p>
          </>
        ) : (
          <NamesText
            id={`${control.id}-names`}
            label={`${field.label}: column names`}
            names={names}
            placeholder="Column names, separated by commas"
            onCommit={setNames}
          />
        ))}
      {mode === 'byType' && byType && (
        <div className="cf-bytype">
          <div className="cf-inline">
            <label className="cf-sublabel" htmlFor={`${control.id}-type`}>
              Every
            </label>
            <select
              id={`${control.id}-type`}
              className="cf-input cf-select"
              value={byType.byType}
              onChange={(event) =>
                set({
                  byType: event.target.value,
                  ...(byType.except?.length ? { except: byType.except } : {}),
                })
              }
            >
              {logicalTypes.map((type) => (
                <option key={type} value={type}>
                  {type} column
                </option>
              ))}
            </select>
          </div>
          {ofType ? (
            <>
              <p className="cf-sublabel">Except</p>
              {exceptChips}
              <ColumnChecklist
                columns={listed(ofType, except)}
                chosen={except}
                label={`${field.label}: columns to leave out`}
                onToggle={(name, on) => setExcept(toggleName(except, name, on))}
              />
              <p className="cf-muted">
                {matched?.length ?? 0} {matched?.length === 1 ? 'column matches' : 'columns match'}
                {matched?.length ? `: ${matched.map((column) => column.name).join(', ')}` : ''}
              </p>
            </>
          ) : (
            <>
              <div className="cf-inline">
                <label className="cf-sublabel" htmlFor={`${control.id}-except`}>
                  Except
                </label>
                <NamesText
                  id={`${control.id}-except`}
                  names={except}
                  placeholder="Column names, separated by commas"
                  onCommit={setExcept}
                />
              </div>
              {exceptChips}
            </>
          )}
        </div>
      )}
    </fieldset>
  );
}
