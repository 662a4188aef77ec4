'use client';

import { TextInput } from './TextInput';
import type { WidgetProps } from './widget-props';

/** One column: a select of the known columns, else the name typed in. */
export function ColumnInput({ field, current, set, control, columns }: WidgetProps) {
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
          {column.name} ({column.type})
        </option>
      ))}
    </select>
  );
}
