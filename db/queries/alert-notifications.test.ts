import { describe, expect, it } from 'vitest';
import { type AlertDetails, alertMessage } from './alert-notifications';

const psi = { name: 'psi', value: 0.30871, warn: 0.1, alert: 0.2 };
const base: AlertDetails = {
  model: 'churn',
  version: 3,
  subject: 'tenure',
  kind: 'drift',
  state: 'alert',
  escalated: false,
  figure: psi,
  openedAt: '2026-12-07T10:00:00.000Z',
};

describe('alertMessage', () => {
  it('says which model, what drifted, how far and where the threshold is, in plain words', () => {
    expect(alertMessage(base)).toBe('Model churn v3: input drift alert on tenure (PSI 0.309, alerts at 0.2)');
    expect(alertMessage({ ...base, state: 'warn', figure: { ...psi, value: 0.14 } })).toBe(
      'Model churn v3: input drift warning on tenure (PSI 0.14, warns at 0.1)',
    );
    expect(alertMessage({ ...base, escalated: true })).toBe(
      'Model churn v3: input drift alert on tenure (PSI 0.309, alerts at 0.2) (rose from warning)',
    );
  });

  it('names the inputs as a whole, a metric against its threshold, and leaves out a figure it lacks', () => {
    expect(
      alertMessage({
        ...base,
        subject: 'dataset',
        figure: { name: 'drifted features', value: 2, warn: null, alert: null },
      }),
    ).toBe('Model churn v3: input drift alert on the inputs as a whole (2 features drifted)');
    expect(
      alertMessage({
        ...base,
        kind: 'performance',
        subject: 'accuracy',
        figure: { name: 'accuracy', value: 0.81234, warn: null, alert: 0.87 },
      }),
    ).toBe('Model churn v3: performance alert on accuracy (accuracy 0.812, threshold 0.87)');
    expect(alertMessage({ ...base, version: null, figure: null })).toBe(
      'Model churn: input drift alert on tenure',
    );
  });
});
