import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PipelineParameter } from '../../pipeline/document';
import { ParameterInputs, type ParameterValues, useParameterForm } from './ParameterInputs';

const parameters: PipelineParameter[] = [
  { name: 'cutoff', type: 'string', default: '2026-01-01', description: 'Train on data up to' },
  { name: 'trees', type: 'number', default: 100, description: '' },
  { name: 'balanced', type: 'boolean', default: true, description: '' },
  { name: 'dataset', type: 'file', description: '' },
];

function Form({ saved }: { saved: ParameterValues | undefined }) {
  const form = useParameterForm(parameters, saved, () => {});
  return createElement(ParameterInputs, { idPrefix: 'run-param', parameters, form });
}

/** The inputs as the Run dialog (no saved values) or the schedule form (a schedule's values) first show them. */
function render(saved?: ParameterValues): string {
  return renderToStaticMarkup(createElement(Form, { saved }));
}

describe('parameter inputs', () => {
  it('labels each input by name and description, with an id from the prefix', () => {
    const html = render();
    expect(html).toContain(
      '<label for="run-param-cutoff">cutoff<small class="muted"> — Train on data up to</small></label>',
    );
    expect(html).toContain('<label for="run-param-trees">trees</label>');
    expect(html).toMatch(
      /<input id="run-param-dataset" type="file"\/><small class="muted">No file yet<\/small>/,
    );
  });

  it('fills in the declared defaults', () => {
    const html = render();
    expect(html).toContain('<input id="run-param-cutoff" type="text" value="2026-01-01"/>');
    expect(html).toContain('<input id="run-param-trees" type="number" value="100"/>');
    expect(html).toContain('<input id="run-param-balanced" type="checkbox" checked=""/>');
  });

  it("shows a schedule's saved values instead of the defaults", () => {
    const html = render({ cutoff: '2026-06-30', balanced: false, dataset: 'uploads/a/iris.csv' });
    expect(html).toContain('<input id="run-param-cutoff" type="text" value="2026-06-30"/>');
    expect(html).toContain('<input id="run-param-trees" type="number" value=""/>');
    expect(html).toContain('<input id="run-param-balanced" type="checkbox"/>');
    expect(html).toContain('<small class="muted">uploads/a/iris.csv</small>');
  });
});
