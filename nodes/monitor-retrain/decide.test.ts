import { describe, expect, it } from 'vitest';
import { decideRetraining } from './decide';

const alert = (alertId: string, subject: string, state: 'warn' | 'alert') => ({
  alertId,
  subject,
  kind: 'drift' as const,
  state,
});
const none = { opened: [], kept: [], closed: [] };

describe('decideRetraining', () => {
  it('starts for the alerts a check opened at the level', () => {
    const report = {
      state: 'alert' as const,
      alerts: {
        ...none,
        opened: [alert('a1', 'dataset', 'alert'), alert('a2', 'x1', 'alert'), alert('a3', 'x2', 'warn')],
      },
    };
    expect(decideRetraining(report, 'alert')).toEqual({
      start: true,
      alertIds: ['a1', 'a2'],
      subjects: ['dataset', 'x1'],
    });
    expect(decideRetraining(report, 'warn')).toEqual({
      start: true,
      alertIds: ['a1', 'a2', 'a3'],
      subjects: ['dataset', 'x1', 'x2'],
    });
  });

  it('starts nothing when the state is ok or below the level', () => {
    expect(decideRetraining({ state: 'ok', alerts: none }, 'warn')).toEqual({
      start: false,
      reason: 'no retraining: state ok',
    });
    const warned = { state: 'warn' as const, alerts: { ...none, opened: [alert('a1', 'x1', 'warn')] } };
    expect(decideRetraining(warned, 'alert')).toEqual({
      start: false,
      reason: 'no retraining: state warn, below alert',
    });
    expect(decideRetraining(warned, 'warn')).toMatchObject({ start: true, alertIds: ['a1'] });
  });

  it('counts kept alerts too (the port starts nothing for an alert that already has its run), so a warning risen to an alert retrains', () => {
    const risen = {
      state: 'alert' as const,
      alerts: { ...none, kept: [alert('a1', 'dataset', 'alert'), alert('a2', 'x1', 'warn')] },
    };
    expect(decideRetraining(risen, 'alert')).toEqual({
      start: true,
      alertIds: ['a1'],
      subjects: ['dataset'],
    });
    // Only warnings open, the check itself in alert (a metric's alert just closed): nothing at alert.
    const warnings = { state: 'alert' as const, alerts: { ...none, opened: [alert('a3', 'x3', 'warn')] } };
    expect(decideRetraining(warnings, 'alert')).toEqual({
      start: false,
      reason: 'no retraining: no open alert at alert or above',
    });
  });
});
