import { randomBytes } from 'node:crypto';

/** The secret key of this test process: test callers and test workers share it, as an installation's processes do. */
export const testSecretKey = randomBytes(32);
