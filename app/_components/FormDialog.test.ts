import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormDialog } from './FormDialog';

function render(props: Partial<Omit<Parameters<typeof FormDialog>[0], 'children'>>): string {
  return renderToStaticMarkup(
    createElement(
      FormDialog,
      {
        titleId: 'run-dialog-title',
        title: 'Run with these values',
        actions: createElement('button', { type: 'submit' }, 'Start run'),
        onSubmit: () => {},
        onClose: () => {},
        ...props,
      },
      createElement('p', null, 'fields'),
    ),
  );
}

describe('the dialog frame', () => {
  it('is a modal form named by its heading, the fields before the buttons', () => {
    expect(render({})).toBe(
      '<div class="dialog-backdrop"><form class="dialog" role="dialog" aria-modal="true" aria-labelledby="run-dialog-title">' +
        '<h2 id="run-dialog-title">Run with these values</h2><p>fields</p>' +
        '<div class="dialog-actions"><button type="submit">Start run</button></div></form></div>',
    );
  });

  it("takes the confirmation's look and a dialog's own class", () => {
    expect(render({ look: 'confirm' })).toMatch(
      /^<div class="confirm-backdrop"><form class="confirm-dialog" .*<div class="confirm-actions">/,
    );
    expect(render({ className: 'schedule-dialog' })).toContain('<form class="dialog schedule-dialog"');
  });

  it('shows a problem as an alert above the buttons, and nothing without one', () => {
    expect(render({ problem: 'Upload of iris.csv failed (413)' })).toContain(
      '<p>fields</p><p class="error-text" role="alert">Upload of iris.csv failed (413)</p><div class="dialog-actions">',
    );
    expect(render({})).not.toContain('role="alert"');
  });
});
