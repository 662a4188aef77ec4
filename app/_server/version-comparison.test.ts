import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { chooseVersions } from './version-comparison';

const model = 'churn';

describe('chooseVersions', () => {
  it('compares production with the newest other version', () => {
    expect(chooseVersions({ newest: [5, 4], production: 3, model })).toEqual({ a: 3, b: 5 });
    expect(chooseVersions({ newest: [5, 4], production: 5, model })).toEqual({ a: 5, b: 4 });
  });

  it('compares the two newest, older first, when nothing is in production', () => {
    expect(chooseVersions({ newest: [5, 4], production: null, model })).toEqual({ a: 4, b: 5 });
  });

  it('fills in only the side not asked for', () => {
    expect(chooseVersions({ newest: [5, 4], production: 3, a: 1, model })).toEqual({ a: 1, b: 5 });
    expect(chooseVersions({ newest: [5, 4], production: 5, a: 5, model })).toEqual({ a: 5, b: 4 });
    expect(chooseVersions({ newest: [5, 4], production: 2, b: 1, model })).toEqual({ a: 2, b: 1 });
    expect(chooseVersions({ newest: [5, 4], production: 5, b: 5, model })).toEqual({ a: 4, b: 5 });
    expect(chooseVersions({ newest: [5, 4], production: null, a: 2, b: 3, model })).toEqual({ a: 2, b: 3 });
  });

  it('refuses a model with one version, and a version compared with itself, saying why', () => {
    const refusal = (input: Parameters<typeof chooseVersions>[0]) => {
      try {
        chooseVersions(input);
      } catch (error) {
        return error instanceof TRPCError ? [error.code, error.message] : error;
      }
      return 'no refusal';
    };
    expect(refusal({ newest: [1], production: 1, model })).toEqual([
      'BAD_REQUEST',
      'churn has one version: a comparison needs two.',
    ]);
    expect(refusal({ newest: [4, 3], production: null, a: 3, b: 3, model })).toEqual([
      'BAD_REQUEST',
      'b: pick two different versions (a and b are both version 3).',
    ]);
  });
});
