import { describe, expect, it } from 'vitest';
import { oneSignInAtATime, SIGN_INS_WAITING_PER_ACCOUNT, TooManyWaitingError } from './sign-in-lock';

/** A promise and the function that settles it, to hold a sign-in open until the test lets it go. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('oneSignInAtATime', () => {
  it('runs sign-ins to one account one after another, in order, and others alongside', async () => {
    const events: string[] = [];
    const first = gate();
    const a1 = oneSignInAtATime('a@x.test', async () => {
      events.push('a1 start');
      await first.opened;
      events.push('a1 end');
      throw new Error('wrong password');
    });
    const a2 = oneSignInAtATime('a@x.test', async () => {
      events.push('a2 start');
      return 'a2';
    });
    const b1 = await oneSignInAtATime('b@x.test', async () => 'b1');
    expect(b1).toBe('b1');
    expect(events).toEqual(['a1 start']);
    first.open();
    await expect(a1).rejects.toThrow('wrong password');
    expect(await a2).toBe('a2');
    expect(events).toEqual(['a1 start', 'a1 end', 'a2 start']);
  });

  it('refuses a sign-in when too many for the same account are waiting, and lets them in once those end', async () => {
    const hold = gate();
    const held = Array.from({ length: SIGN_INS_WAITING_PER_ACCOUNT }, () =>
      oneSignInAtATime('c@x.test', () => hold.opened),
    );
    await expect(oneSignInAtATime('c@x.test', async () => 'late')).rejects.toBeInstanceOf(
      TooManyWaitingError,
    );
    hold.open();
    await Promise.all(held);
    expect(await oneSignInAtATime('c@x.test', async () => 'later')).toBe('later');
  });
});
