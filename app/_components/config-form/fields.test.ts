import { describe, expect, it } from 'vitest';
import { defineNode } from '../../../nodes/_kit/define-node';
import { nodeSpecs } from '../../../nodes/specs';
import { testNodeSpecs } from '../../../tests/support/nodes/specs';
import {
  configJsonSchema,
  type FormField,
  formFields,
  humanize,
  mergeProblems,
  messageUnder,
  optionLabel,
  problemsFor,
  rangeText,
  validateConfig,
} from './fields';

const specs = { ...nodeSpecs, ...testNodeSpecs };

function field(type: keyof typeof specs, name: string): FormField {
  const found = formFields(specs[type]).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${type}.${name}`);
  return found;
}

describe('formFields', () => {
  it('converts every node type without throwing, one field per config key in order', () => {
    for (const spec of Object.values(nodeSpecs)) {
      expect(() => configJsonSchema(spec)).not.toThrow();
      expect(formFields(spec).map((candidate) => candidate.name)).toEqual(Object.keys(spec.config.shape));
    }
  });

  it('labels every field and takes widget, help and advanced from the hints', () => {
    for (const spec of Object.values(nodeSpecs)) {
      for (const candidate of formFields(spec)) {
        expect(candidate.label).not.toBe('');
        const hint = (spec.ui as Record<string, { label: string; widget?: string } | undefined>)[
          candidate.name
        ];
        if (hint) expect(candidate.label).toBe(hint.label);
        if (hint?.widget) expect(candidate.widget).toBe(hint.widget);
      }
    }
  });

  it('reads split: method a select, fractions bounded, seed an advanced integer', () => {
    expect(field('split', 'method')).toMatchObject({
      widget: 'select',
      options: ['random', 'stratified', 'time'],
      default: 'stratified',
      hasDefault: true,
      required: false,
    });
    // zod's gt(0).lt(1) arrives as exclusive bounds.
    expect(field('split', 'testFraction')).toMatchObject({
      widget: 'number',
      valueType: 'number',
      min: 0,
      max: 1,
      exclusiveMin: true,
      exclusiveMax: true,
      default: 0.2,
      step: 0.01,
    });
    expect(field('split', 'validationFraction')).toMatchObject({ min: 0, max: 1, exclusiveMax: true });
    expect(field('split', 'validationFraction').exclusiveMin).toBeUndefined();
    const seed = field('split', 'seed');
    expect(seed).toMatchObject({
      widget: 'number',
      valueType: 'integer',
      step: 1,
      advanced: true,
      default: 42,
    });
    // int() alone writes ±MAX_SAFE_INTEGER: not a bound worth showing.
    expect(seed.min).toBeUndefined();
    expect(seed.max).toBeUndefined();
    expect(field('split', 'stratifyBy')).toMatchObject({ widget: 'column', required: false });
  });

  it('reads train: a required target column, a columns selector, bounded integers', () => {
    expect(field('train', 'target')).toMatchObject({ widget: 'column', required: true, hasDefault: false });
    expect(field('train', 'features')).toMatchObject({ widget: 'columns', required: false });
    expect(field('train', 'algorithm').options).toEqual([
      'gradient_boosting',
      'random_forest',
      'decision_tree',
      'linear',
    ]);
    expect(field('train', 'maxDepth')).toMatchObject({ min: 1, max: 64, step: 1, required: false });
    expect(field('train', 'learningRate')).toMatchObject({ min: 0, exclusiveMin: true, max: 1 });
    expect(field('train', 'learningRate').exclusiveMax).toBeUndefined();
    expect(field('train', 'l2')).toMatchObject({ min: 0, max: 1e6, step: 'any' });
  });

  it('reads operation lists as lists of kinds, each with its own fields and widgets', () => {
    const operations = field('clean', 'operations');
    expect(operations).toMatchObject({ widget: 'list', valueType: 'array', default: [], parameterTypes: [] });
    if (operations.item?.kind !== 'variants') throw new Error('clean operations should be variants');
    expect(operations.item.key).toBe('op');
    const impute = operations.item.variants.find((variant) => variant.tag === 'impute');
    expect(impute?.label).toBe('Fill missing values');
    expect(impute?.fields.map((sub) => [sub.name, sub.widget, sub.required])).toEqual([
      ['columns', 'columns', true],
      ['strategy', 'select', true],
      ['value', 'text', false],
    ]);
    const filter = operations.item.variants.find((variant) => variant.tag === 'filter');
    expect(filter?.fields[0]).toMatchObject({
      name: 'condition',
      widget: 'condition',
      label: 'Keep rows where',
    });
    const clip = operations.item.variants.find((variant) => variant.tag === 'clip');
    expect(clip?.fields.find((sub) => sub.name === 'lower')).toMatchObject({ min: 0, max: 1, default: 0.01 });

    const features = field('feature', 'operations').item;
    const dateParts =
      features?.kind === 'variants' ? features.variants.find((v) => v.tag === 'date_parts') : undefined;
    expect(dateParts?.fields.map((sub) => [sub.name, sub.widget])).toEqual([
      ['column', 'column'],
      ['parts', 'choices'],
    ]);
    expect(dateParts?.fields[1]?.options).toEqual(['year', 'month', 'day', 'weekday', 'hour']);

    const rules = field('clean', 'rules').item;
    const inSet = rules?.kind === 'variants' ? rules.variants.find((v) => v.tag === 'in_set') : undefined;
    expect(inSet?.fields.find((sub) => sub.name === 'values')?.widget).toBe('values');
  });

  it('reads gates and slices as lists of objects, metric names suggested', () => {
    const gates = field('evaluate', 'gates');
    expect(gates.widget).toBe('list');
    if (gates.item?.kind !== 'object') throw new Error('a gate should be one object');
    const metric = gates.item.fields.find((sub) => sub.name === 'metric');
    expect(metric).toMatchObject({ widget: 'text', required: true });
    expect(metric?.suggestions).toContain('roc_auc');
    expect(gates.item.fields.find((sub) => sub.name === 'compare')).toMatchObject({
      widget: 'select',
      options: ['value', 'production'],
      label: 'Compare with',
    });
    const slices = field('evaluate', 'slices').item;
    expect(slices?.kind === 'object' && slices.fields.map((sub) => sub.widget)).toEqual([
      'text',
      'condition',
    ]);
  });

  it('reads ingest: enums as selects, an optional checkbox, a record as json', () => {
    expect(field('ingest', 'source')).toMatchObject({
      widget: 'select',
      options: ['sample', 'file', 'postgres'],
    });
    expect(field('ingest', 'format')).toMatchObject({ advanced: true, default: 'auto' });
    expect(field('ingest', 'header')).toMatchObject({
      widget: 'checkbox',
      hasDefault: false,
      required: false,
    });
    expect(field('ingest', 'delimiter')).toMatchObject({ widget: 'text', minLength: 1, maxLength: 1 });
    expect(field('ingest', 'columnTypes')).toMatchObject({
      widget: 'json',
      valueType: 'object',
      default: {},
    });
  });

  it('infers widgets without hints from the schema', async () => {
    const { z } = await import('zod');
    const { type, version, category, title, description, icon, inputs, outputs, execution } =
      testNodeSpecs['test.join'];
    const spec = defineNode({
      ...{ type, version, category, title, description, icon, inputs, outputs, execution },
      config: z.object({
        mode: z.enum(['a', 'b']),
        level: z.union([z.literal('low'), z.literal('high')]).default('low'),
        on: z.boolean().default(true),
        count: z.number().int().min(0).max(9).optional(),
        name: z.string().transform((text) => text.trim()),
        tags: z.array(z.string()).default([]),
        when: z.date().optional(),
      }),
      ui: {},
    });
    const fields = formFields(spec);
    expect(fields.map((candidate) => [candidate.name, candidate.widget])).toEqual([
      ['mode', 'select'],
      ['level', 'select'],
      ['on', 'checkbox'],
      ['count', 'number'],
      ['name', 'text'],
      ['tags', 'json'],
      ['when', 'json'],
    ]);
    expect(fields[0]).toMatchObject({ required: true, label: 'Mode' });
    expect(fields[1]).toMatchObject({ options: ['low', 'high'], default: 'low' });
    expect(fields[3]).toMatchObject({ min: 0, max: 9, step: 1 });
  });

  it('offers parameters of the types that fit', () => {
    expect(field('ingest', 'file').parameterTypes).toEqual(['string', 'file']);
    expect(field('train', 'target').parameterTypes).toEqual(['string']);
    expect(field('split', 'testFraction').parameterTypes).toEqual(['number']);
    expect(field('test.transform', 'failAlways').parameterTypes).toEqual(['boolean']);
    expect(field('train', 'features').parameterTypes).toEqual([]);
    expect(field('evaluate', 'gates').parameterTypes).toEqual([]);
  });
});

describe('validateConfig', () => {
  it('accepts defaults where the schema allows them', () => {
    expect(validateConfig(nodeSpecs.ingest, {})).toEqual([]);
    expect(validateConfig(nodeSpecs.split, { method: 'random' })).toEqual([]);
  });

  it('pins messages on fields, refinements included, nested paths joined with dots', () => {
    expect(validateConfig(nodeSpecs.split, {})).toEqual([
      { field: 'stratifyBy', message: 'Choose the column to stratify by (usually the target)' },
    ]);
    expect(validateConfig(nodeSpecs.train, { features: [] })).toEqual([
      { field: 'target', message: 'Required' },
      { field: 'features', message: 'Choose at least one column' },
    ]);
    expect(validateConfig(nodeSpecs.clean, { operations: [{ op: 'drop', columns: [] }] })).toEqual([
      { field: 'operations.0.columns', message: 'Choose at least one column' },
    ]);
    const bounds = validateConfig(nodeSpecs.split, { method: 'random', testFraction: 0 });
    expect(bounds).toHaveLength(1);
    expect(bounds[0]?.field).toBe('testFraction');
  });

  it('does not judge fields fed by a parameter', () => {
    expect(validateConfig(nodeSpecs.train, { target: { $param: 'target' } })).toEqual([]);
    expect(
      validateConfig(nodeSpecs.split, { method: 'random', testFraction: { $param: 'share' }, seed: 1.5 }),
    ).toEqual([expect.objectContaining({ field: 'seed' })]);
  });
});

describe('mergeProblems', () => {
  it('keeps compiler problems, except where they only wrap the form’s own message', () => {
    const merged = mergeProblems(
      [
        {
          field: 'target',
          message:
            'Train model "train_1": "Target column" Invalid input: expected string, received undefined',
        },
        { field: 'features', message: 'Column "x" is not in the data (columns: a, b)' },
        {
          field: 'seed',
          message: 'Train model "train_1": "Random seed" Invalid input: expected int, received number',
        },
      ],
      [
        { field: 'target', message: 'Required' },
        { field: 'seed', message: 'Invalid input: expected int, received number' },
        { field: 'maxDepth', message: 'Too big: expected number to be <=64' },
      ],
    );
    expect(merged).toEqual([
      { field: 'features', message: 'Column "x" is not in the data (columns: a, b)' },
      { field: 'target', message: 'Required' },
      { field: 'seed', message: 'Invalid input: expected int, received number' },
      { field: 'maxDepth', message: 'Too big: expected number to be <=64' },
    ]);
  });
});

describe('rangeText and nested messages', () => {
  it('says the range in a few characters', () => {
    expect(rangeText(field('split', 'testFraction'))).toBe('> 0 and < 1');
    expect(rangeText(field('train', 'maxDepth'))).toBe('Whole number, 1 – 64');
    expect(rangeText(field('train', 'l2'))).toBe('0 – 1,000,000');
    expect(rangeText(field('split', 'seed'))).toBe('Whole number');
    expect(rangeText(field('test.transform', 'metric'))).toBe('');
  });

  it('says where inside a field a problem sits', () => {
    expect(
      messageUnder('operations', { field: 'operations.2.columns', message: 'Choose at least one column' }),
    ).toBe('Entry 3 › columns: Choose at least one column');
    expect(messageUnder('target', { field: 'target', message: 'Required' })).toBe('Required');
    expect(
      problemsFor('operations', [
        { field: 'operations.1', message: 'x' },
        { field: 'operationsX', message: 'y' },
      ]),
    ).toEqual([{ field: 'operations.1', message: 'x' }]);
  });
});

describe('labels', () => {
  it('humanizes names and option values', () => {
    expect(humanize('testFraction')).toBe('Test fraction');
    expect(humanize('max_depth')).toBe('Max depth');
    expect(optionLabel('gradient_boosting')).toBe('Gradient boosting');
    expect(optionLabel('>=')).toBe('>=');
    expect(optionLabel('CSV')).toBe('CSV');
  });
});
