import { describe, expect, it } from 'vitest';
import { beats, type Comparison, decide } from './decide';

const operator = { email: 'op@example.test', role: 'operator' as const };
type Scored = Extract<Comparison, { kind: 'scored' }>;

const scored = (challenger: number, champion: number, metric = 'accuracy', margin = 0.01): Scored => ({
  kind: 'scored',
  metric,
  margin,
  challenger,
  champion,
  championVersion: 3,
  lowerIsBetter: metric === 'rmse',
});

describe('decide', () => {
  it('registers only, whatever the rule says, when the action is register', () => {
    expect(
      decide({ action: 'register', model: 'm', version: 4, comparison: undefined, person: operator }),
    ).toEqual({ alias: null, reason: 'Registered m version 4; the action is register only.' });
  });

  it('promotes a challenger that beats production by the margin, and keeps one that does not', () => {
    const won = decide({
      action: 'production',
      model: 'm',
      version: 4,
      comparison: scored(0.93, 0.91),
      person: operator,
    });
    expect(won).toEqual({
      alias: 'production',
      reason:
        'Promoted m version 4 to production: it beats production version 3 on accuracy (new 0.93, production 0.91; needs 0.01 higher than production).',
    });
    const lost = decide({
      action: 'production',
      model: 'm',
      version: 4,
      comparison: scored(0.915, 0.91),
      person: operator,
    });
    expect(lost).toEqual({
      alias: null,
      reason:
        'Registered m version 4 without setting production: it does not beat production version 3 on accuracy (new 0.915, production 0.91; needs 0.01 higher than production).',
    });
  });

  it('reads lower as better for errors', () => {
    expect(beats(scored(2.0, 2.5, 'rmse', 0.1))).toBe(true);
    expect(beats(scored(2.45, 2.5, 'rmse', 0.1))).toBe(false);
    expect(beats(scored(3, 2.5, 'rmse', 0))).toBe(false);
  });

  it('stages instead of promoting for a person who may not promote, or for nobody', () => {
    const editor = decide({
      action: 'production',
      model: 'm',
      version: 2,
      comparison: scored(0.95, 0.9),
      person: { email: 'ed@example.test', role: 'editor' },
    });
    expect(editor.alias).toBe('staging');
    expect(editor.reason).toBe(
      'Set staging to m version 2, not production: the run was started by ed@example.test, whose role (editor) may not promote; promoting to production needs the operator role or higher. It beats production version 3 on accuracy (new 0.95, production 0.9; needs 0.01 higher than production).',
    );
    const nobody = decide({
      action: 'production',
      model: 'm',
      version: 2,
      comparison: undefined,
      person: null,
    });
    expect(nobody.alias).toBe('staging');
    expect(nobody.reason).toMatch(
      /^Set staging to m version 2, not production: nobody with the operator role/,
    );
    const admin = decide({
      action: 'production',
      model: 'm',
      version: 2,
      comparison: { kind: 'no-production' },
      person: { email: 'ad@example.test', role: 'admin' },
    });
    expect(admin).toEqual({
      alias: 'production',
      reason: 'Promoted m version 2 to production: there is no version in production to compare with.',
    });
  });

  it('changes nothing when production already holds the version, whoever runs it, saying so with its figure', () => {
    const already: Comparison = { kind: 'already-production', metric: 'accuracy', figure: 0.95614 };
    const editor = { email: 'ed@example.test', role: 'editor' as const };
    for (const person of [operator, editor, null])
      for (const action of ['production', 'staging'] as const)
        expect(decide({ action, model: 'm', version: 4, comparison: already, person })).toEqual({
          alias: null,
          reason: 'Changed nothing: m version 4 is already in production (accuracy 0.9561).',
        });
    expect(
      decide({
        action: 'production',
        model: 'm',
        version: 4,
        comparison: { kind: 'already-production', metric: 'rmse', figure: undefined },
        person: editor,
      }),
    ).toEqual({ alias: null, reason: 'Changed nothing: m version 4 is already in production.' });
  });

  it('applies the rule to staging too', () => {
    expect(
      decide({ action: 'staging', model: 'm', version: 5, comparison: scored(0.5, 0.9), person: operator })
        .alias,
    ).toBeNull();
    expect(
      decide({ action: 'staging', model: 'm', version: 5, comparison: scored(0.95, 0.9), person: null })
        .alias,
    ).toBe('staging');
  });
});
