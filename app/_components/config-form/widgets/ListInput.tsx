'use client';

import type { FieldProblem, ItemVariant } from '../fields';
import { withField } from '../values';
import type { WidgetProps } from './widget-props';

type Entry = Record<string, unknown>;

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A list of entries (operations, rules, slices, gates) edited one by one: each entry a card with its
 * kind, its own fields, and buttons to move or remove it; a menu or button adds one at the end.
 * Problems are those anywhere inside the list, their paths starting with the field's name.
 */
export function ListInput({ field, current, set, control, label, problems, renderField }: WidgetProps) {
  const { item } = field;
  // widgetKind shows a list without the shape of its entries as JSON, so this one always has it.
  if (!item) return null;
  const { id } = control;
  const entries = Array.isArray(current) ? current.filter(isEntry) : [];
  const noun = singular(field.label);
  const write = (next: Entry[]) => set(next.length ? next : undefined);
  const replace = (index: number, entry: Entry) =>
    write(entries.map((other, at) => (at === index ? entry : other)));
  const move = (index: number, by: number) => {
    const next = [...entries];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + by, 0, moved);
    write(next);
  };
  return (
    <fieldset className="cf-fieldset cf-list" id={id}>
      <legend className="cf-label cf-legend">{label}</legend>
      {entries.length === 0 && <p className="cf-muted">No {noun}s yet.</p>}
      <ol className="cf-entries">
        {entries.map((entry, index) => {
          const variant =
            item.kind === 'variants' ? item.variants.find((v) => v.tag === entry[item.key]) : undefined;
          const fields = item.kind === 'variants' ? (variant?.fields ?? []) : item.fields;
          const prefix = `${field.name}.${index}`;
          const entryId = `${id}-${index}`;
          const own = problems.filter(
            (problem) =>
              problem.field === prefix ||
              (problem.field.startsWith(`${prefix}.`) &&
                !fields.some((sub) => within(problem.field, `${prefix}.${sub.name}`))),
          );
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no identity; their place is it
            <li key={index} className="cf-entry" aria-label={`${capitalise(noun)} ${index + 1}`}>
              <div className="cf-entry-head">
                <span className="cf-entry-number">{index + 1}</span>
                {item.kind === 'variants' ? (
                  <select
                    className="cf-input cf-select"
                    aria-label={`${capitalise(noun)} ${index + 1}: kind`}
                    value={String(entry[item.key])}
                    onChange={(event) => {
                      const next = item.variants.find((v) => v.tag === event.target.value);
                      if (next) replace(index, switchKind(entry, item.key, next));
                    }}
                  >
                    {item.variants.map((v) => (
                      <option key={v.tag} value={v.tag}>
                        {v.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="cf-entry-title">
                    {capitalise(noun)} {index + 1}
                  </span>
                )}
                <span className="cf-entry-buttons">
                  <button
                    type="button"
                    className="icon-button"
                    title="Move up"
                    aria-label={`Move ${noun} ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    title="Move down"
                    aria-label={`Move ${noun} ${index + 1} down`}
                    disabled={index === entries.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    title="Remove"
                    aria-label={`Remove ${noun} ${index + 1}`}
                    onClick={() => write(entries.filter((_, at) => at !== index))}
                  >
                    ✕
                  </button>
                </span>
              </div>
              {variant?.help && <p className="cf-help">{variant.help}</p>}
              {fields.map((sub) =>
                renderField({
                  field: sub,
                  current: entry[sub.name],
                  set: (value) => replace(index, withField(entry, sub, value)),
                  problems: rebase(problems, `${prefix}.`, sub.name),
                  id: `${entryId}-${sub.name}`,
                }),
              )}
              {own.length > 0 && (
                <div className="cf-error" aria-live="polite">
                  {own.map((problem) => (
                    <p key={`${problem.field}:${problem.message}`}>{problem.message}</p>
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {item.kind === 'variants' ? (
        <select
          className="cf-input cf-select cf-add"
          aria-label={`Add ${article(noun)} ${noun}`}
          value=""
          onChange={(event) => {
            const chosen = item.variants.find((v) => v.tag === event.target.value);
            if (chosen) write([...entries, { [item.key]: chosen.tag }]);
          }}
        >
          <option value="">
            + Add {article(noun)} {noun}…
          </option>
          {item.variants.map((v) => (
            <option key={v.tag} value={v.tag}>
              {v.label}
            </option>
          ))}
        </select>
      ) : (
        <button type="button" className="secondary cf-add" onClick={() => write([...entries, {}])}>
          + Add {article(noun)} {noun}
        </button>
      )}
    </fieldset>
  );
}

/** Another kind for an entry, keeping the fields both kinds have (the columns of an operation). */
function switchKind(entry: Entry, key: string, next: ItemVariant): Entry {
  const kept = Object.entries(entry).filter(([name]) => next.fields.some((sub) => sub.name === name));
  return { [key]: next.tag, ...Object.fromEntries(kept) };
}

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/** The problems of one entry's field, their paths made relative to the entry. */
function rebase(problems: FieldProblem[], prefix: string, name: string): FieldProblem[] {
  return problems
    .filter((problem) => within(problem.field, `${prefix}${name}`))
    .map((problem) => ({ ...problem, field: problem.field.slice(prefix.length) }));
}

/** "Operations" → "operation", "Data-quality rules" → "data-quality rule". */
export function singular(label: string): string {
  const lower = label.toLowerCase();
  return lower.endsWith('s') ? lower.slice(0, -1) : lower;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}
