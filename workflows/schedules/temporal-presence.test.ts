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

  it('passes on any other failure (Temporal down) without remembering it', async () => {
    const down = async () => {
      throw new Error('connection refused');
    };
    await expect(isInTemporal('s4', down, 0)).rejects.toThrow('connection refused');
    expect(await isInTemporal('s4', async () => {}, 1)).toBe(true);
  });
});
