import { describe, expect, it } from 'vitest';
import { keyPrefixOf, summariseDetails } from './summary';

describe('summariseDetails', () => {
  it('shows a rename as old → new', () => {
    expect(summariseDetails({ from: 'Churn', to: 'Churn v2' })).toBe('Churn → Churn v2');
  });

  it('lists other fields, leaving out the key prefix and empty values', () => {
    expect(summariseDetails({ keyPrefix: 'pw_x', version: 3, message: null, rerunOf: 'r1' })).toBe(
      'version: 3 · rerunOf: r1',
    );
  });

  it('cuts long values and handles no details', () => {
    expect(summariseDetails({ note: 'x'.repeat(100) })).toBe(`note: ${'x'.repeat(59)}…`);
    expect(summariseDetails(null)).toBe('');
  });
});

describe('keyPrefixOf', () => {
  it('finds the key prefix, or nothing', () => {
    expect(keyPrefixOf({ keyPrefix: 'pw_abc' })).toBe('pw_abc');
    expect(keyPrefixOf({ version: 1 })).toBeUndefined();
    expect(keyPrefixOf(null)).toBeUndefined();
  });
});
