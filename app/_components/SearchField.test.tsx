import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SearchField } from './SearchField';

describe('the list search box', () => {
  it('is a labelled search input showing what has been typed', () => {
    const html = renderToStaticMarkup(
      <SearchField
        label="Search models"
        placeholder="Search by name or description"
        value="churn"
        onChange={() => {}}
      />,
    );
    expect(html).toBe(
      '<input type="search" placeholder="Search by name or description" aria-label="Search models" value="churn"/>',
    );
  });
});
