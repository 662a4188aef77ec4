import { describe, expect, it } from 'vitest';
import type { RunResult } from './pipeline.types';
import { outcomeOfResult } from './reconcile-runs';

describe('the outcome of a completed workflow', () => {
  it('is the status and error the workflow returned', () => {
    const result: RunResult = {
      status: 'failed',
      error: 'Step "b" failed',
      steps: { a: 'succeeded', b: 'failed' },
    };
    expect(outcomeOfResult(result)).toEqual({ status: 'failed', error: 'Step "b" failed' });
    expect(outcomeOfResult({ status: 'succeeded', steps: {} })).toEqual({ status: 'succeeded', error: null });
  });

  it('is failed, naming each wrong field, when the result has the wrong shape', () => {
    expect(outcomeOfResult({ status: 'done', steps: { a: 'ok' } })).toEqual({
      status: 'failed',
      error:
        "The run's workflow finished with a result this version cannot read (" +
        'status: Invalid option: expected one of "succeeded"|"failed"|"cancelled"; ' +
        'steps.a: Invalid option: expected one of "pending"|"running"|"succeeded"|"failed"|"skipped"|"cancelled"|"cached")',
    });
    expect(outcomeOfResult(null)).toEqual({
      status: 'failed',
      error:
        "The run's workflow finished with a result this version cannot read (result: Invalid input: expected object, received null)",
    });
  });
});
