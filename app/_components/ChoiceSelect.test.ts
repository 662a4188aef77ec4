import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoiceSelect } from './ChoiceSelect';

describe('a select over typed choices', () => {
  it('lists the choices in order, the current one selected', () => {
    const html = renderToStaticMarkup(
      createElement(ChoiceSelect<'s' | 'm'>, {
        value: 'm',
        choices: [
          { value: 's', label: 'seconds' },
          { value: 'm', label: 'minutes' },
        ],
        onChoose: () => {},
      }),
    );
    expect(html).toBe(
      '<select><option value="s">seconds</option><option value="m" selected="">minutes</option></select>',
    );
  });
});
