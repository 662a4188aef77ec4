import { Client, Connection } from '@temporalio/client';
import { connections } from './env';

declare global {
  var pipewrightTemporal: Promise<Client> | undefined;
}

/** One Temporal client per server process, connected on first use; a failed connect is retried next time. */
export function temporalClient(): Promise<Client> {
  if (!globalThis.pipewrightTemporal) {
    const target = connections();
    const pending = Connection.connect({ address: target.temporalAddress, connectTimeout: 3_000 }).then(
      (connection) => new Client({ connection, namespace: target.temporalNamespace }),
    );
    pending.catch(() => {
      globalThis.pipewrightTemporal = undefined;
    });
    globalThis.pipewrightTemporal = pending;
  }
  return globalThis.pipewrightTemporal;
}
