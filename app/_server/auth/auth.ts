/**
 * better-auth's setup lives in the top-level auth/ module, which the CLI (`keys create`, `users
 * create`) imports too; the app keeps reaching it under this name.
 */
export {
  API_KEY_PREFIX,
  API_KEY_SHOWN_CHARACTERS,
  type Auth,
  type AuthOptions,
  createAuth,
  SIGN_IN_ATTEMPTS_PER_ADDRESS,
} from '../../../auth/create-auth';
