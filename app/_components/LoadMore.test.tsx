import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LoadMore, type MorePages } from './LoadMore';

function pages(hasNextPage: boolean, isFetchingNextPage: boolean): MorePages {
  return { hasNextPage, isFetchingNextPage, fetchNextPage: async () => undefined };
}

describe('the load more button', () => {
  it('is not there when the last page is loaded', () => {
    expect(renderToStaticMarkup(<LoadMore pages={pages(false, false)} />)).toBe('');
  });

  it('says "Load more" unless the page names it otherwise', () => {
    expect(renderToStaticMarkup(<LoadMore pages={pages(true, false)} />)).toBe(
      '<div class="load-more"><button type="button" class="secondary">Load more</button></div>',
    );
    expect(renderToStaticMarkup(<LoadMore pages={pages(true, false)} label="Show more" />)).toContain(
      '>Show more</button>',
    );
  });

  it('is disabled and says so while a page loads', () => {
    const html = renderToStaticMarkup(<LoadMore pages={pages(true, true)} label="Show more" />);
    expect(html).toContain('<button type="button" class="secondary" disabled="">Loading…</button>');
  });
});
