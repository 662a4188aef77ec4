import { describe, expect, it } from 'vitest';
import { fillParameters, PlaceholderError } from './placeholders';

const report = {
  model: 'churn',
  version: 3,
  state: 'alert' as const,
  checkId: 'c0ffee00-0000-4000-8000-000000000001',
  current: { window: { from: '2026-12-07T10:00:00.000Z', to: '2026-12-07T11:00:00.000Z' } },
};

describe('fillParameters', () => {
  it('fills the window, model, version, state and check, keeping a lone placeholder typed', () => {
    expect(
      fillParameters(
        {
          from: '{{window.from}}',
          to: '{{ window.to }}',
          model: '{{model}}',
          version: '{{version}}',
          note: '{{model}} v{{version}} was {{state}} (check {{check}})',
          depth: 4,
          fast: true,
          plain: 'no braces here',
        },
        report,
      ),
    ).toEqual({
      from: '2026-12-07T10:00:00.000Z',
      to: '2026-12-07T11:00:00.000Z',
      model: 'churn',
      version: 3,
      note: 'churn v3 was alert (check c0ffee00-0000-4000-8000-000000000001)',
      depth: 4,
      fast: true,
      plain: 'no braces here',
    });
  });

  it('never evaluates: an unknown placeholder fails naming the parameter and the known ones', () => {
    expect(() => fillParameters({ from: '{{process.env.SECRET}}' }, report)).toThrow(PlaceholderError);
    expect(() => fillParameters({ from: '{{ 1 + 1 }}' }, report)).toThrow(
      'Parameter "from" uses {{1 + 1}}, which is not known: use one of {{window.from}}, {{window.to}}, {{model}}, {{version}}, {{state}}, {{check}}',
    );
  });

  it('fails naming the parameter when the check had no window', () => {
    expect(() =>
      fillParameters({ since: 'after {{window.from}}' }, { ...report, current: { window: null } }),
    ).toThrow(
      'Parameter "since" uses {{window.from}}, but the check had no window (its current side was a dataset input)',
    );
    expect(fillParameters({ model: '{{model}}' }, { ...report, current: { window: null } })).toEqual({
      model: 'churn',
    });
  });
});
