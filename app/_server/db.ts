import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { connections } from './env';

declare global {
  // Survives Next's hot reloads in development, so each reload does not open a new pool.
  var pipewrightDatabase: DatabaseHandle | undefined;
}

export function database(): DatabaseHandle {
  globalThis.pipewrightDatabase ??= connectDatabase(connections().databaseUrl);
  return globalThis.pipewrightDatabase;
}
