'use client';

/** Columns as checkboxes, each with its type; a chosen name the data lacks says so. */
export function ColumnChecklist({
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
