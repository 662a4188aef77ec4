import { connectDatabase } from '../../db/client';
import { createInvite, revokeOpenSetupLinks } from '../../db/queries/invites';
import { countUsers } from '../../db/queries/users';

export const SETUP_LINK_VALID_MS = 60 * 60 * 1000;

/**
 * While nobody has an account, each start prints a fresh one-time link (valid one hour) that creates
 * the first admin; links printed by earlier starts stop working (once a user exists, too). Undefined
 * once a user exists.
 */
export async function setupLinkIfNoUsers(
  databaseUrl: string,
  publicOrigin: URL,
): Promise<string | undefined> {
  const handle = connectDatabase(databaseUrl, { max: 1 });
  try {
    await revokeOpenSetupLinks(handle.db);
    if ((await countUsers(handle.db)) > 0) return undefined;
    const { token } = await createInvite(handle.db, {
      kind: 'setup',
      role: 'admin',
      validForMs: SETUP_LINK_VALID_MS,
    });
    return new URL(`/join/${token}`, publicOrigin).toString();
  } finally {
    await handle.close();
  }
}
