import { z } from 'zod';
import type { Database } from '../../db/client';
import { countFailedSignIns } from '../../db/queries/audit';

/** Failed sign-ins one account may have from one address within the window. */
export const FAILED_SIGN_INS_PER_ACCOUNT_AND_ADDRESS = 5;
/**
 * Failed sign-ins one account may have from all addresses together within the window: looser, so
 * one attacker cannot lock the owner out from elsewhere with a handful of guesses, yet guessing from
 * many addresses (or forged ones, see client-address.ts) is still slowed to this pace.
 */
export const FAILED_SIGN_INS_PER_ACCOUNT = 20;
export const FAILED_SIGN_IN_WINDOW_MINUTES = 15;

/** What a failed sign-in records as its account when the email typed is not an email at all. */
export const NOT_AN_EMAIL = '(not an email)';

const RESET_HINT = 'or an admin can run `npx pipewright users set-password`';

/** The email a sign-in request names, normalised as accounts store it; undefined when it is not an email. */
export function signInEmail(body: unknown): string | undefined {
  const parsed = z
    .object({ email: z.string().trim().toLowerCase().pipe(z.email().max(320)) })
    .safeParse(body);
  return parsed.success ? parsed.data.email : undefined;
}

/**
 * Why a sign-in to this account from this address is refused before its password is checked, or
 * undefined when it may go ahead. Failures before the account's last successful sign-in or password
 * change do not count.
 */
export async function signInRefusal(
  db: Database,
  email: string,
  address: string | null,
  now = new Date(),
): Promise<string | undefined> {
  const since = new Date(now.getTime() - FAILED_SIGN_IN_WINDOW_MINUTES * 60_000);
  const failures = await countFailedSignIns(db, email, address, since);
  const wait = `try again in ${FAILED_SIGN_IN_WINDOW_MINUTES} minutes, ${RESET_HINT}.`;
  if (failures.fromAddress >= FAILED_SIGN_INS_PER_ACCOUNT_AND_ADDRESS) {
    return `Too many failed sign-ins for ${email} from this address: ${wait}`;
  }
  if (failures.total >= FAILED_SIGN_INS_PER_ACCOUNT) {
    return `Too many failed sign-ins for ${email}: ${wait}`;
  }
  return undefined;
}
