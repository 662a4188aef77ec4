import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../../registry/version-schema';
import { exampleRow, predictPath, pythonLiteral, snippetsFor } from './endpoint';

const signature: ModelSignature = {
  inputs: [
    { name: 'tenure', type: 'number', unknownCategories: 'accept', nullable: false },
    {
      name: 'plan',
      type: 'string',
      categories: ["o'brien", 'pro'],
      unknownCategories: 'reject',
      nullable: false,
    },
    { name: 'active', type: 'boolean', unknownCategories: 'accept', nullable: true },
  ],
  output: { task: 'classification', labels: ['no', 'yes'] },
};

describe('model endpoint snippets', () => {
  it('builds the predict path for an alias or a version, encoding the name', () => {
    expect(predictPath('churn', { alias: 'production' })).toBe('/api/v1/models/churn/predict');
    expect(predictPath('churn', { alias: 'staging' })).toBe('/api/v1/models/churn/predict?alias=staging');
    expect(predictPath('a.b', { version: 3 })).toBe('/api/v1/models/a.b/versions/3/predict');
  });

  it('writes an example row from the signature and Python literals from JSON', () => {
    expect(exampleRow(signature)).toEqual({ tenure: 0, plan: "o'brien", active: true });
    expect(pythonLiteral({ a: [true, null, 1.5, 'x"y'] })).toBe(
      '{\n    "a": [\n        True,\n        None,\n        1.5,\n        "x\\"y",\n    ],\n}',
    );
  });

  it('reads the key from the environment in every snippet and quotes the body for the shell', () => {
    const body = { rows: [exampleRow(signature)] };
    const snippets = snippetsFor('http://127.0.0.1:3001/api/v1/models/churn/predict', body);
    expect(snippets.curl).toContain('-H "Authorization: Bearer $PIPEWRIGHT_API_KEY"');
    // The category's quote closes and reopens the shell string: the shell sees the JSON unchanged.
    expect(snippets.curl).toContain(`"plan":"o'\\''brien"`);
    expect(snippets.python).toContain(`os.environ['PIPEWRIGHT_API_KEY']`);
    expect(snippets.python).toContain('"active": True');
    expect(snippets.javascript).toContain(`Bearer \${process.env.PIPEWRIGHT_API_KEY}`);
    expect(snippets.javascript).toContain('"tenure": 0');
  });
});
