'use client';

import { parameterReference } from '../../../../pipeline/parameters';

/** Parameters inside a list of columns: "⇢ target", each removable. */
export function ParameterChips({
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

/** The list without one parameter reference; undefined when nothing is left. */
export function withoutReference(list: unknown, reference: unknown): unknown[] | undefined {
  const rest = Array.isArray(list) ? list.filter((item) => item !== reference) : [];
  return rest.length ? rest : undefined;
}
