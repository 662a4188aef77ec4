import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { nodeSpecs } from '../../../nodes/specs';
import { ConfigForm } from './ConfigForm';
import { type FormField, formFields } from './fields';
import { widgetKind, widgetsByKind } from './widget-map';

function field(type: keyof typeof nodeSpecs, name: string): FormField {
  const found = formFields(nodeSpecs[type]).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${type}.${name}`);
  return found;
}

/** The clean step's "fill with a constant" value: text, a number or true/false. */
function constantField(): FormField {
  const item = field('clean', 'operations').item;
  const found =
    item?.kind === 'variants'
      ? item.variants
          .flatMap((variant) => variant.fields)
          .find((sub) => sub.widget === 'text' && sub.valueType === 'unknown')
      : undefined;
  if (!found) throw new Error('no constant field in clean operations');
  return found;
}

describe('widget map', () => {
  it('shows a field by its widget, a parameter as a chip, an unfit value as JSON, a constant as a scalar', () => {
    const fraction = field('split', 'testFraction');
    expect(widgetKind(fraction, 0.3)).toBe('number');
    expect(widgetKind(fraction, undefined)).toBe('number');
    expect(widgetKind(fraction, { $param: 'fraction' })).toBe('parameter');
    expect(widgetKind(fraction, 'a third')).toBe('json');
    expect(widgetKind(field('train', 'target'), 'label')).toBe('column');
    expect(widgetKind(field('clean', 'operations'), [])).toBe('list');
    expect(widgetKind(constantField(), 3)).toBe('scalar');
  });

  it('shows a list whose entries have no known shape as JSON', () => {
    const { item: _shape, ...shapeless } = field('clean', 'operations');
    expect(widgetKind(shapeless, undefined)).toBe('json');
    expect(widgetKind(shapeless, [])).toBe('json');
    expect(widgetKind(shapeless, [{ op: 'drop' }])).toBe('json');
  });

  it('renders every node type with each field named: a label for its control, a legend or a caption', () => {
    for (const [type, spec] of Object.entries(nodeSpecs)) {
      const html = renderToStaticMarkup(
        createElement(ConfigForm, { spec, value: {}, onChange: () => {}, parameters: [], idPrefix: type }),
      );
      for (const each of formFields(spec)) {
        const id = `${type}-${each.name}`;
        const { labelling } = widgetsByKind[widgetKind(each, undefined)];
        expect(html, id).toContain(`id="${id}"`);
        const naming = {
          label: `<label class="cf-label" for="${id}">${escaped(each.label)}`,
          named: `<span class="cf-label" id="${id}-label">${escaped(each.label)}`,
          legend: `<legend class="cf-label cf-legend">${escaped(each.label)}`,
          inline: `<label class="cf-label cf-check-label" for="${id}">${escaped(each.label)}`,
        }[labelling];
        expect(html, id).toContain(naming);
      }
    }
  });
});

function escaped(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
