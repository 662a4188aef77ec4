import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type Choice, ChoiceFilter, choiceOf } from './ChoiceFilter';

type State = '' | 'active' | 'paused';
const choices: Choice<State>[] = [
  { value: '', label: 'Active and paused' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
];

describe('a filter over fixed choices', () => {
  it('reads the chosen value back as one of the choices, the empty "any" choice included', () => {
    expect(choiceOf(choices, 'paused')?.value).toBe('paused');
    expect(choiceOf(choices, '')?.label).toBe('Active and paused');
  });

  it('finds no choice for a value it does not offer', () => {
    expect(choiceOf(choices, 'deleted')).toBeUndefined();
    expect(choiceOf(choices, 'Paused')).toBeUndefined();
  });

  it('renders a labelled select with the current value selected', () => {
    const html = renderToStaticMarkup(
      <ChoiceFilter label="State" choices={choices} value="active" onChange={() => {}} />,
    );
    expect(html).toBe(
      '<select aria-label="State"><option value="">Active and paused</option>' +
        '<option value="active" selected="">Active</option><option value="paused">Paused</option></select>',
    );
  });
});
