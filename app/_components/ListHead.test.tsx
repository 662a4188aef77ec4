import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ListHead } from './ListHead';

describe('the list page head', () => {
  it('shows the title over the lead sentence', () => {
    const html = renderToStaticMarkup(<ListHead title="Runs">Every run, newest first.</ListHead>);
    expect(html).toBe(
      '<div class="list-head"><div><h1>Runs</h1><p class="muted page-lead">Every run, newest first.</p></div></div>',
    );
  });

  it('puts the page actions beside the title block', () => {
    const actions = (
      <button type="button" className="primary">
        Add connection
      </button>
    );
    const html = renderToStaticMarkup(
      <ListHead title="Connections" actions={actions}>
        Databases.
      </ListHead>,
    );
    expect(html).toContain('</p></div><button type="button" class="primary">Add connection</button></div>');
  });
});
