import { describe, expect, it } from 'vitest';
import { nodeSpecs } from '../../../nodes/specs';
import { formFields } from './fields';
import {
  compatibleParameters,
  describeJsonError,
  fitsWidget,
  formatJson,
  parseJsonText,
  parseNumberText,
  sameValue,
  selectorMode,
  splitNames,
  toggleName,
  withField,
} from './values';

const splitFields = formFields(nodeSpecs.split);
const method = splitFields.find((field) => field.name === 'method');
const stratifyBy = splitFields.find((field) => field.name === 'stratifyBy');
if (!method || !stratifyBy) throw new Error('split fields missing');

describe('withField', () => {
  it('writes a changed value and leaves the rest alone', () => {
    const config = { seed: 7 };
    expect(withField(config, method, 'random')).toEqual({ seed: 7, method: 'random' });
    expect(config).toEqual({ seed: 7 });
  });

  it('keeps a changed field in its place', () => {
    expect(Object.keys(withField({ method: 'random', seed: 7 }, method, 'time'))).toEqual(['method', 'seed']);
  });

  it('leaves out undefined and the default, so the default applies', () => {
    expect(withField({ method: 'random', seed: 7 }, method, 'stratified')).toEqual({ seed: 7 });
    expect(withField({ stratifyBy: 'y' }, stratifyBy, undefined)).toEqual({});
  });

  it('compares structured defaults by value', () => {
    const gates = formFields(nodeSpecs.evaluate).find((field) => field.name === 'gates');
    if (!gates) throw new Error('no gates');
    expect(withField({ gates: [{ metric: 'accuracy' }] }, gates, [])).toEqual({});
  });
});

describe('sameValue', () => {
  it('compares JSON structurally', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(0, -0)).toBe(false);
  });
});

describe('compatibleParameters', () => {
  it('lists parameters whose type the field accepts', () => {
    const parameters = [
      { name: 'target', type: 'string' },
      { name: 'share', type: 'number' },
      { name: 'upload', type: 'file' },
    ];
    const file = formFields(nodeSpecs.ingest).find((field) => field.name === 'file');
    if (!file) throw new Error('no file');
    expect(compatibleParameters(file, parameters).map((parameter) => parameter.name)).toEqual([
      'target',
      'upload',
    ]);
    expect(compatibleParameters(stratifyBy, parameters).map((parameter) => parameter.name)).toEqual([
      'target',
    ]);
  });
});

describe('parseJsonText', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText(' [1, {"a": true}] ')).toEqual({ ok: true, value: [1, { a: true }] });
  });

  it('names the line and column of a mistake', () => {
    expect(parseJsonText('[\n  {"op": "drop",}\n]')).toEqual({
      ok: false,
      message: 'Line 2, column 17: Expected double-quoted property name',
    });
    expect(parseJsonText('[\n  1,')).toEqual({
      ok: false,
      message: 'Line 2, column 5: Unexpected end of JSON input',
    });
  });

  it("reads the other engines' messages too", () => {
    expect(
      describeJsonError(
        "JSON.parse: expected ',' or ']' after array element at line 2 column 5 of the JSON data",
        '',
      ),
    ).toBe("Line 2, column 5: Expected ',' or ']' after array element");
    expect(describeJsonError('Unexpected token } in JSON at position 4', '[\n1,}')).toBe(
      'Line 2, column 3: Unexpected token }',
    );
    expect(describeJsonError('Unexpected token \'a\', "abc" is not valid JSON', 'abc')).toBe(
      "Not valid JSON: Unexpected token 'a'",
    );
  });
});

describe('formatJson', () => {
  it('writes one entry per line, each compact', () => {
    expect(
      formatJson([
        { op: 'drop', columns: ['a', 'b'] },
        { op: 'text', columns: { byType: 'text' } },
      ]),
    ).toBe(
      '[\n  { "op": "drop", "columns": ["a", "b"] },\n  { "op": "text", "columns": { "byType": "text" } }\n]',
    );
    expect(formatJson({ age: 'numeric' })).toBe('{\n  "age": "numeric"\n}');
    expect(formatJson([])).toBe('[]');
    expect(formatJson('a,"b":')).toBe('"a,\\"b\\":"');
  });

  it('round-trips through parseJsonText', () => {
    const value = [{ metric: 'accuracy', operator: '>=', value: 0.85, note: 'a, "quoted": {x}' }];
    expect(parseJsonText(formatJson(value))).toEqual({ ok: true, value });
  });
});

describe('column selectors', () => {
  it('reads the mode of a selector value', () => {
    expect(selectorMode(undefined)).toBe('default');
    expect(selectorMode(['a'])).toBe('names');
    expect(selectorMode({ byType: 'numeric', except: ['id'] })).toBe('byType');
    expect(selectorMode({ byType: 3 })).toBe('other');
    expect(selectorMode([1])).toBe('other');
  });

  it('splits and toggles names', () => {
    expect(splitNames(' a, b,,a\nc ')).toEqual(['a', 'b', 'c']);
    expect(toggleName(['b'], 'a', true)).toEqual(['b', 'a']);
    expect(toggleName(['b', 'a'], 'b', false)).toEqual(['a']);
    expect(toggleName(['a'], 'a', true)).toEqual(['a']);
  });
});

describe('fitsWidget', () => {
  it('falls back to raw JSON for values the widget cannot show', () => {
    expect(fitsWidget(method, 'random')).toBe(true);
    expect(fitsWidget(method, { op: 1 })).toBe(false);
    expect(fitsWidget(stratifyBy, 3)).toBe(false);
    expect(fitsWidget(stratifyBy, undefined)).toBe(true);
  });
});

describe('parseNumberText', () => {
  it('reads empty as left out', () => {
    expect(parseNumberText(' ')).toBeUndefined();
    expect(parseNumberText('0.25')).toBe(0.25);
    expect(parseNumberText('x')).toBeNaN();
  });
});
