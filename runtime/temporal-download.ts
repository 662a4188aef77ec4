import { EAGER_ACTIVITIES_ARGS } from './temporal-server';

export interface DownloadedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * The last resort for machines without Go: the dev server that @temporalio/testing downloads and
 * runs (needs internet; it runs inside this process and stops with it).
 */
export async function startDownloadedTemporal(options: {
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
}): Promise<DownloadedTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      namespace: options.namespace,
      dbFilename: options.dbFile,
      extraArgs: EAGER_ACTIVITIES_ARGS,
    },
  });
  return {
    address: environment.address,
    uiUrl: `http://localhost:${options.uiPort}`,
    stop: () => environment.teardown(),
  };
}
