'use client';

import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { logicalTypes } from '../../../nodes/_data/dataset-schema';
import type { NodeSpec } from '../../../nodes/_kit/define-node';
import type { KnownColumn } from '../../../nodes/_kit/known-columns';
import { parameterReference } from '../../../pipeline/parameters';
import { CommitText, useDraft } from './CommitText';
import { ConditionInput } from './ConditionInput';
import { parseList, parseValue, valueText } from './condition-model';
import {
  type FieldProblem,
  type FormField,
  formFields,
  mergeProblems,
  messageUnder,
  optionLabel,
  problemsFor,
  rangeText,
  validateConfig,
} from './fields';
import { ListInput } from './ListInput';
import {
  type ByTypeSelector,
  compatibleParameters,
  fitsWidget,
  formatJson,
  inputText,
  isByType,
  type ParameterOption,
  parseJsonText,
  parseNumberText,
  sameValue,
  selectorMode,
  splitNames,
  splitParameters,
  toggleName,
  withField,
} from './values';
import './config-form.css';

export interface ConfigFormProps {
  spec: NodeSpec;
  /** The node's config as saved: fields left out take their defaults. */
  value: Record<string, unknown>;
  /** Called once per change with the whole next config (one undo step each). */
  onChange: (next: Record<string, unknown>) => void;
  /** The upstream dataset's columns, when the compiler knows them. */
  columns?: KnownColumn[];
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

interface FieldRowProps {
  field: FormField;
  current: unknown;
  set: (next: unknown) => void;
  columns: KnownColumn[] | undefined;
  parameters: ParameterOption[];
  problems: FieldProblem[];
  id: string;
}

/** What every control shares: its id and its links to the help and error text. */
interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

function FieldRow({ field, current, set, columns, parameters, problems, id }: FieldRowProps) {
  // A JSON parse error belongs to the value it was typed over: a new value (undo, another edit) drops it.
  const [draft, setDraft] = useState<{ over: unknown; message: string }>();
  const draftError = draft && Object.is(draft.over, current) ? draft.message : undefined;
  const parameter = parameterReference(current);
  const compatible = compatibleParameters(field, parameters);
  const fitting = fitsWidget(field, current);
  const widget = parameter !== undefined ? 'parameter' : fitting ? field.widget : 'json';
  // A list shows its entries' problems in the entries; only the list's own stay here.
  const shown = widget === 'list' ? problems.filter((problem) => problem.field === field.name) : problems;
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

  // Groups (of checkboxes, entries or conditions) and the parameter chip are named by a legend or an
  // id, not a <label>.
  const labelled = !['columns', 'parameter', 'checkbox', 'list', 'choices', 'condition'].includes(widget);
  const ownLegend = widget === 'columns' || widget === 'list';

  const labelText = (
    <>
      {field.label}
      {field.required && (
        <span className="cf-required" aria-hidden="true">
          *
        </span>
      )}
    </>
  );

  const parameterSelect = (compatible.length > 0 || parameter !== undefined) && (
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

  let body: ReactNode;
  switch (widget) {
    case 'parameter':
      body = (
        <ParameterChip
          id={id}
          labelId={labelId}
          name={parameter ?? ''}
          declared={parameters.some((option) => option.name === parameter)}
          describedBy={describedBy}
          onClear={() => set(undefined)}
        />
      );
      break;
    case 'text':
      body =
        field.valueType === 'unknown' ? (
          <ScalarInput field={field} current={current} set={set} control={control} />
        ) : (
          <TextInput field={field} current={current} set={set} control={control} />
        );
      break;
    case 'values':
      body = <ValuesInput current={current} set={set} control={control} />;
      break;
    case 'choices':
      body = <ChoicesInput field={field} current={current} set={set} control={control} labelId={labelId} />;
      break;
    case 'condition':
      body = (
        <ConditionInput
          id={id}
          label={field.label}
          current={current}
          set={set}
          columns={columns}
          describedBy={[labelId, describedBy].filter(Boolean).join(' ')}
        />
      );
      break;
    case 'list':
      body = field.item ? (
        <ListInput
          field={{ ...field, item: field.item }}
          current={current}
          set={set}
          id={id}
          legend={labelText}
          problems={problems}
          renderField={(entry) => (
            <FieldRow
              key={entry.id}
              field={entry.field}
              current={entry.current}
              set={entry.set}
              columns={columns}
              parameters={parameters}
              problems={entry.problems}
              id={entry.id}
            />
          )}
        />
      ) : null;
      break;
    case 'number':
      body = <NumberInput field={field} current={current} set={set} control={control} />;
      break;
    case 'select':
      body = <SelectInput field={field} current={current} set={set} control={control} />;
      break;
    case 'checkbox':
      body = <CheckboxInput field={field} current={current} set={set} control={control} label={labelText} />;
      break;
    case 'column':
      body = <ColumnInput field={field} current={current} set={set} control={control} columns={columns} />;
      break;
    case 'columns':
      body = (
        <ColumnsInput
          field={field}
          current={current}
          set={set}
          control={control}
          columns={columns}
          legend={labelText}
        />
      );
      break;
    default:
      body = (
        <JsonInput
          field={field}
          current={current}
          set={set}
          control={control}
          onDraftError={(message) => setDraft(message === undefined ? undefined : { over: current, message })}
          fallback={!fitting}
        />
      );
  }

  return (
    <div className={`cf-field cf-field-${widget}`}>
      {!ownLegend && (
        <div className="cf-label-row">
          {labelled ? (
            <label className="cf-label" htmlFor={id}>
              {labelText}
            </label>
          ) : widget !== 'checkbox' ? (
            <span className="cf-label" id={labelId}>
              {labelText}
            </span>
          ) : (
            body
          )}
          {parameterSelect}
        </div>
      )}
      {widget !== 'checkbox' && body}
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

interface InputProps {
  field: FormField;
  current: unknown;
  set: (next: unknown) => void;
  control: ControlProps;
}

function defaultText(field: FormField): string {
  if (!field.hasDefault || field.default === undefined) return '';
  return typeof field.default === 'string' ? field.default : JSON.stringify(field.default);
}

/**
 * The text of an input, kept while typed: a new saved value replaces it unless it already says the
 * same (typing the default leaves the field out, but the input keeps showing what was typed).
 */
function useText(saved: unknown, means: (text: string) => boolean): [string, (text: string) => void] {
  const savedText = inputText(saved);
  const [text, setText] = useState(savedText);
  const [seen, setSeen] = useState(saved);
  if (!Object.is(seen, saved)) {
    setSeen(saved);
    if (!means(text)) setText(savedText);
  }
  return [text, setText];
}

function textValue(text: string): string | undefined {
  return text === '' ? undefined : text;
}

function TextInput({ field, current, set, control, placeholder }: InputProps & { placeholder?: string }) {
  const stored = typeof current === 'string' ? current : undefined;
  const [text, setText] = useText(
    stored,
    (candidate) =>
      textValue(candidate) === stored ||
      (stored === undefined && field.hasDefault && candidate === field.default),
  );
  const short = field.maxLength !== undefined && field.maxLength <= 3;
  const suggestionsId = field.suggestions ? `${control.id}-suggestions` : undefined;
  return (
    <>
      <input
        {...control}
        type="text"
        className={short ? 'cf-input cf-input-short' : 'cf-input'}
        value={text}
        placeholder={defaultText(field) || placeholder}
        maxLength={field.maxLength}
        autoComplete="off"
        spellCheck={false}
        list={suggestionsId}
        onChange={(event) => {
          setText(event.target.value);
          set(textValue(event.target.value));
        }}
      />
      {field.suggestions && (
        <datalist id={suggestionsId}>
          {field.suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      )}
    </>
  );
}

/**
 * A number keeps its own text while typed ("0." or "-" are on the way to a number); a number is
 * written as soon as the text is one, and emptying the input leaves the field out.
 */
function NumberInput({ field, current, set, control }: InputProps) {
  const stored = typeof current === 'number' ? current : undefined;
  const [text, setText] = useText(stored, (candidate) => {
    const typed = parseNumberText(candidate);
    return Object.is(typed, stored) || (stored === undefined && field.hasDefault && typed === field.default);
  });
  return (
    <input
      {...control}
      type="number"
      className="cf-input cf-input-number"
      value={text}
      placeholder={defaultText(field)}
      min={field.min}
      max={field.max}
      step={field.step}
      inputMode={field.valueType === 'integer' ? 'numeric' : 'decimal'}
      onChange={(event) => {
        // Half-typed text ("1e", "-") reads as "" with badInput: keep it on screen, write nothing yet.
        setText(event.target.value);
        if (event.target.validity.badInput) return;
        const next = parseNumberText(event.target.value);
        if (next === undefined || Number.isFinite(next)) set(next);
      }}
    />
  );
}

function SelectInput({ field, current, set, control }: InputProps) {
  const options = field.options ?? [];
  const index = options.findIndex((option) => Object.is(option, current));
  const defaultIndex = options.findIndex((option) => Object.is(option, field.default));
  const unknown = current !== undefined && index < 0;
  const selected =
    current === undefined
      ? defaultIndex >= 0
        ? String(defaultIndex)
        : ''
      : unknown
        ? 'unknown'
        : String(index);
  return (
    <select
      {...control}
      className="cf-input cf-select"
      value={selected}
      onChange={(event) => {
        const chosen = event.target.value;
        if (chosen === 'unknown') return;
        set(chosen === '' ? undefined : options[Number(chosen)]);
      }}
    >
      {defaultIndex < 0 && (
        <option value="" disabled={field.required}>
          {field.required ? 'Choose…' : '—'}
        </option>
      )}
      {unknown && <option value="unknown">{String(current)} (not an option)</option>}
      {options.map((option, position) => (
        <option key={String(option)} value={String(position)}>
          {optionLabel(option)}
          {position === defaultIndex ? ' (default)' : ''}
        </option>
      ))}
    </select>
  );
}

/**
 * A checkbox; a field without a default (decided at run time when left out) shows as indeterminate
 * until set, with a way back to "automatic".
 */
function CheckboxInput({ field, current, set, control, label }: InputProps & { label: ReactNode }) {
  const ref = useRef<HTMLInputElement>(null);
  const automatic = current === undefined && !field.hasDefault;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = automatic;
  }, [automatic]);
  const checked = typeof current === 'boolean' ? current : field.default === true;
  return (
    <span className="cf-check">
      <input
        {...control}
        ref={ref}
        type="checkbox"
        className="cf-checkbox"
        checked={checked}
        onChange={(event) => set(event.target.checked)}
      />
      <label className="cf-label cf-check-label" htmlFor={control.id}>
        {label}
      </label>
      {!field.hasDefault &&
        (automatic ? (
          <span className="cf-check-note">automatic</span>
        ) : (
          <button type="button" className="cf-link" onClick={() => set(undefined)}>
            Automatic
          </button>
        ))}
    </span>
  );
}

function columnLabel(column: KnownColumn): string {
  return `${column.name} (${column.type})`;
}

/** One column: a select of the known columns, else the name typed in. */
function ColumnInput({
  field,
  current,
  set,
  control,
  columns,
}: InputProps & { columns: KnownColumn[] | undefined }) {
  const name = typeof current === 'string' ? current : '';
  if (!columns)
    return (
      <TextInput field={field} current={current} set={set} control={control} placeholder="Column name" />
    );
  const missing = name !== '' && !columns.some((column) => column.name === name);
  return (
    <select
      {...control}
      className="cf-input cf-select"
      value={name}
      onChange={(event) => set(event.target.value === '' ? undefined : event.target.value)}
    >
      <option value="">{field.required ? 'Choose a column…' : '— none —'}</option>
      {missing && <option value={name}>{name} (not in the data)</option>}
      {columns.map((column) => (
        <option key={column.name} value={column.name}>
          {columnLabel(column)}
        </option>
      ))}
    </select>
  );
}

/** Names typed as a comma-separated list, written when the input is left (or on Enter). */
function NamesText({
  names,
  onCommit,
  id,
  label,
  placeholder,
  describedBy,
}: {
  names: readonly string[];
  onCommit: (names: string[]) => void;
  id: string;
  label?: string;
  placeholder: string;
  describedBy?: string;
}) {
  const joined = names.join(', ');
  return (
    <CommitText
      id={id}
      aria-label={label}
      aria-describedby={describedBy}
      saved={joined}
      placeholder={placeholder}
      spellCheck={false}
      onCommit={(text) => {
        const next = splitNames(text);
        if (next.join(', ') !== joined) onCommit(next);
      }}
    />
  );
}

function ColumnChecklist({
  columns,
  chosen,
  onToggle,
  label,
}: {
  columns: { name: string; type?: string; missing?: boolean }[];
  chosen: readonly string[];
  onToggle: (name: string, on: boolean) => void;
  label: string;
}) {
  if (columns.length === 0) return <p className="cf-muted">No columns of this type.</p>;
  return (
    <ul className="cf-checklist" aria-label={label}>
      {columns.map((column) => (
        <li key={column.name}>
          <label className="cf-checklist-item">
            <input
              type="checkbox"
              className="cf-checkbox"
              checked={chosen.includes(column.name)}
              onChange={(event) => onToggle(column.name, event.target.checked)}
            />
            <span className="cf-column-name">{column.name}</span>
            <span className={column.missing ? 'cf-type cf-type-missing' : 'cf-type'}>
              {column.missing ? 'not in the data' : column.type}
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}

type ColumnsMode = 'default' | 'names' | 'byType';

/**
 * Columns: a list of names (checkboxes of the known columns, or typed) or every column of a type
 * except some ({byType, except}); an optional selector can also be left to its default.
 */
function ColumnsInput({
  field,
  current,
  set,
  control,
  columns,
  legend,
}: InputProps & {
  columns: KnownColumn[] | undefined;
  legend: ReactNode;
}) {
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
  const setExcept = (next: string[]) => {
    const all = [...next, ...exceptParameters];
    if (byType) set(all.length ? { byType: byType.byType, except: all } : { byType: byType.byType });
  };

  const listed = (known: KnownColumn[], chosen: readonly string[]) => [
    ...known,
    ...chosen
      .filter((name) => !known.some((column) => column.name === name))
      .map((name) => ({ name, missing: true })),
  ];
  const exceptChips = byType && (
    <ParameterChips
      references={exceptParameters}
      onRemove={(reference) => setExceptList(byType, remaining(byType.except, reference), set)}
    />
  );
  const ofType = byType && columns ? columns.filter((column) => column.type === byType.byType) : undefined;
  const matched = ofType?.filter((column) => !except.includes(column.name));

  return (
    <fieldset className="cf-fieldset" id={control.id} aria-describedby={control['aria-describedby']}>
      <legend className="cf-label cf-legend">{legend}</legend>
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
          onRemove={(reference) => set(remaining(current, reference))}
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

/**
 * JSON (lists of operations, gates, conditions): edited as text and parsed when the textarea is left
 * or on Ctrl/⌘+Enter, so one edit is one change; a parse error keeps the text as typed. Escape goes
 * back to the saved value.
 */
function JsonInput({
  field,
  current,
  set,
  control,
  onDraftError,
  fallback,
}: InputProps & { onDraftError: (message: string | undefined) => void; fallback: boolean }) {
  const saved = current === undefined ? '' : formatJson(current);
  const [text, setText] = useDraft(saved);

  const commit = () => {
    if (text === saved) return onDraftError(undefined);
    if (text.trim() === '') {
      onDraftError(undefined);
      return set(undefined);
    }
    const parsed = parseJsonText(text);
    if (!parsed.ok) return onDraftError(parsed.message);
    onDraftError(undefined);
    if (sameValue(parsed.value, current)) setText(saved);
    else set(parsed.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape' && text !== saved) {
      event.stopPropagation();
      setText(saved);
      onDraftError(undefined);
    }
  };

  const placeholder = [
    field.hasDefault ? `Default: ${defaultText(field)}` : '',
    field.example !== undefined ? `For example:\n${formatJson(field.example)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const ref = useRef<HTMLTextAreaElement>(null);
  // As tall as its text (or, when empty, its placeholder), wrapped lines included, up to a limit.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const shown = text || placeholder;
    element.style.height = 'auto';
    if (!text) element.value = shown;
    const height = element.scrollHeight + element.offsetHeight - element.clientHeight;
    if (!text) element.value = '';
    element.style.height = `${Math.min(Math.max(height, 64), 280)}px`;
  }, [text, placeholder]);
  return (
    <>
      {fallback && <p className="cf-muted">This value does not fit the usual control; edit it as JSON.</p>}
      <textarea
        {...control}
        className="cf-input cf-textarea"
        value={text}
        placeholder={placeholder}
        ref={ref}
        rows={3}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
    </>
  );
}

/** A constant that may be text, a number or true/false: a number when the text is exactly one. */
function ScalarInput({ field, current, set, control }: InputProps) {
  const saved =
    typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean'
      ? String(current)
      : '';
  return (
    <CommitText
      {...control}
      saved={saved}
      placeholder={defaultText(field)}
      onCommit={(text) => set(parseValue(text, '=', undefined))}
    />
  );
}

/** A short list of values typed with commas: "a, b, 3". */
function ValuesInput({ current, set, control }: Omit<InputProps, 'field'>) {
  const saved = Array.isArray(current) ? valueText(current.filter(isScalar)) : '';
  return (
    <CommitText
      {...control}
      saved={saved}
      placeholder="Values, separated by commas"
      onCommit={(text) => {
        const values = parseList(text, undefined);
        set(values.length ? values : undefined);
      }}
    />
  );
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Several of a fixed set of options, as checkboxes; kept in the options' order. */
function ChoicesInput({ field, current, set, control, labelId }: InputProps & { labelId: string }) {
  const options = field.options ?? [];
  const chosen = Array.isArray(current) ? current : [];
  return (
    <fieldset className="cf-choices" aria-labelledby={labelId} id={control.id}>
      {options.map((option) => (
        <label key={String(option)} className="cf-choice">
          <input
            type="checkbox"
            checked={chosen.includes(option)}
            onChange={(event) => {
              const next = options.filter((other) =>
                other === option ? event.target.checked : chosen.includes(other),
              );
              set(next.length ? next : undefined);
            }}
          />
          {optionLabel(option)}
        </label>
      ))}
    </fieldset>
  );
}

/** The config value without one parameter reference of its list; undefined when nothing is left. */
function remaining(list: unknown, reference: unknown): unknown[] | undefined {
  const rest = Array.isArray(list) ? list.filter((item) => item !== reference) : [];
  return rest.length ? rest : undefined;
}

function setExceptList(byType: ByTypeSelector, except: unknown[] | undefined, set: (next: unknown) => void) {
  set(except ? { byType: byType.byType, except } : { byType: byType.byType });
}

/** Parameters inside a list of columns: "⇢ target", each removable. */
function ParameterChips({
  references,
  onRemove,
}: {
  references: unknown[];
  onRemove: (reference: unknown) => void;
}) {
  if (!references.length) return null;
  return (
    <ul className="cf-param-chips">
      {references.map((reference) => {
        const name = parameterReference(reference) ?? '';
        return (
          <li key={name} className="cf-param-chip">
            <span aria-hidden="true">⇢</span> parameter <code>{name}</code>
            <button
              type="button"
              className="icon-button"
              title={`Remove the column given by parameter ${name}`}
              aria-label={`Remove the column given by parameter ${name}`}
              onClick={() => onRemove(reference)}
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function ParameterChip({
  id,
  labelId,
  name,
  declared,
  describedBy,
  onClear,
}: {
  id: string;
  labelId: string;
  name: string;
  declared: boolean;
  describedBy: string | undefined;
  onClear: () => void;
}) {
  return (
    <div className={declared ? 'cf-param' : 'cf-param cf-param-missing'} id={id}>
      <span className="cf-param-icon" aria-hidden="true">
        ⇢
      </span>
      <span className="cf-param-text">
        from parameter <code>{name}</code>
        {!declared && <span className="cf-param-warning"> (not defined)</span>}
      </span>
      <button
        type="button"
        className="cf-link"
        aria-describedby={[labelId, describedBy].filter(Boolean).join(' ')}
        onClick={onClear}
      >
        Use a value
      </button>
    </div>
  );
}
