import { ScheduleNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { forgetPresence, isInTemporal, notePresence } from './temporal-presence';

describe('isInTemporal', () => {
  it('asks Temporal at most once a minute per schedule, and remembers a missing one too', async () => {
    let asked = 0;
    const present = async () => {
      asked++;
    };
    const missing = async () => {
      asked++;
      throw new ScheduleNotFoundError('gone', 's2');
    };
    expect(await isInTemporal('s1', present, 0)).toBe(true);
    expect(await isInTemporal('s1', present, 59_999)).toBe(true);
    expect(asked).toBe(1);
    expect(await isInTemporal('s1', missing, 60_000)).toBe(false);
    expect(await isInTemporal('s1', present, 60_001)).toBe(false);
    expect(asked).toBe(2);
  });

  it('takes what the process learnt first-hand, and asks again after forgetting', async () => {
    let asked = 0;
    const present = async () => {
      asked++;
    };
    notePresence('s3', false, 1_000);
    expect(await isInTemporal('s3', present, 2_000)).toBe(false);
    forgetPresence('s3');
    expect(await isInTemporal('s3', present, 2_000)).toBe(true);
    expect(asked).toBe(1);
  });

  it('answers what it last knew while Temporal cannot be reached, and asks again next time', async () => {
    const down = async () => {
      throw new Error('connection refused');
    };
    expect(await isInTemporal('s4', down, 0)).toBe(true);
    notePresence('s5', false, 0);
    expect(await isInTemporal('s5', down, 61_000)).toBe(false);
    let asked = 0;
    expect(
      await isInTemporal(
        's5',
        async () => {
          asked++;
        },
        61_001,
      ),
    ).toBe(true);
    expect(asked).toBe(1);
  });
});
