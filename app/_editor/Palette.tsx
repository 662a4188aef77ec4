'use client';

import { useState } from 'react';
import { nodeCategories } from '../../nodes/_kit/define-node';
import { nodeSpecs } from '../../nodes/specs';

export const DRAG_TYPE = 'application/x-pipewright-node';

const CATEGORY_TITLES: Record<string, string> = {
  ingest: 'Ingest',
  clean: 'Clean',
  feature: 'Feature',
  train: 'Train',
  evaluate: 'Evaluate',
  deploy: 'Deploy',
  monitor: 'Monitor',
};

/**
 * Node types by category, searchable; drag one onto the canvas, or press Enter to add it. With a
 * readOnlyReason (a role that may not edit) the steps are listed but cannot be added.
 */
export function Palette({
  onAdd,
  readOnlyReason,
}: {
  onAdd: (type: string) => void;
  readOnlyReason?: string;
}) {
  const [search, setSearch] = useState('');
  const query = search.trim().toLowerCase();
  const specs = Object.values(nodeSpecs).filter(
    (spec) =>
      !spec.internal &&
      (!query || spec.title.toLowerCase().includes(query) || spec.description.toLowerCase().includes(query)),
  );
  return (
    <aside className="palette" aria-label="Steps">
      <input
        className="palette-search"
        type="search"
        placeholder="Search steps"
        aria-label="Search steps"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {nodeCategories.map((category) => {
        const items = specs.filter((spec) => spec.category === category);
        if (!items.length) return null;
        return (
          <section key={category} className="palette-group">
            <h3>{CATEGORY_TITLES[category]}</h3>
            {items.map((spec) => (
              <button
                key={spec.type}
                type="button"
                className="palette-item"
                draggable={readOnlyReason === undefined}
                disabled={readOnlyReason !== undefined}
                data-testid={`palette-${spec.type}`}
                title={readOnlyReason ?? spec.description}
                onDragStart={(event) => {
                  event.dataTransfer.setData(DRAG_TYPE, spec.type);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(spec.type)}
              >
                <span className={`step-category cat-${spec.category}`} aria-hidden="true" />
                {spec.title}
              </button>
            ))}
          </section>
        );
      })}
      {specs.length === 0 && <p className="muted">No step matches “{search}”.</p>}
    </aside>
  );
}
