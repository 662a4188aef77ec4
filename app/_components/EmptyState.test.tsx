import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EmptyState } from './EmptyState';

describe('the empty state panel', () => {
  it('shows the title and the sentence, with no action paragraph when there is no action', () => {
    const html = renderToStaticMarkup(<EmptyState title="No runs yet">Runs appear here.</EmptyState>);
    expect(html).toBe('<div class="empty-state"><h2>No runs yet</h2><p>Runs appear here.</p></div>');
  });

  it('puts the action in its own paragraph under the sentence', () => {
    const html = renderToStaticMarkup(
      <EmptyState title="No models yet" action={<a href="/">Open the pipelines</a>}>
        Deploy one.
      </EmptyState>,
    );
    expect(html).toContain(
      '<p>Deploy one.</p><p class="empty-state-action"><a href="/">Open the pipelines</a></p>',
    );
  });

  it('is announced as an alert only when asked', () => {
    const alert = renderToStaticMarkup(
      <EmptyState title="Needs admin" alert>
        Ask one.
      </EmptyState>,
    );
    expect(alert).toContain('<div class="empty-state" role="alert">');
    const quiet = renderToStaticMarkup(<EmptyState title="Nothing">Yet.</EmptyState>);
    expect(quiet).not.toContain('role=');
  });
});
