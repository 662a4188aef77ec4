import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/** The version whose `go install` works; later tags carry a replace directive that go install refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export type TemporalCliSource = 'TEMPORAL_CLI' | 'PATH' | '.tools/bin' | 'go install';

export interface ResolvedTemporalCli {
  path: string;
  source: TemporalCliSource;
}

export interface ResolveOptions {
  projectDir: string;
  explicit?: string;
  /** Build with Go when nothing else is found. */
  allowBuild: boolean;
  /** Directories searched for `temporal` and `go`; defaults to PATH. */
  searchPath?: string;
  onBuildStart?: () => void;
}

/**
 * Finds the Temporal CLI in the documented order: TEMPORAL_CLI, PATH, .tools/bin, then a Go build.
 * Returns undefined when none is available (the caller may fall back to a download).
 */
export async function resolveTemporalCli(options: ResolveOptions): Promise<ResolvedTemporalCli | undefined> {
  if (options.explicit) {
    if (!isExecutable(options.explicit)) {
      throw new Error(`TEMPORAL_CLI=${options.explicit} is not an executable file`);
    }
    return { path: options.explicit, source: 'TEMPORAL_CLI' };
  }
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const onPath = findOnPath('temporal', searchPath);
  if (onPath) return { path: onPath, source: 'PATH' };
  const local = localCliPath(options.projectDir);
  if (isExecutable(local)) return { path: local, source: '.tools/bin' };
  const go = findOnPath('go', searchPath);
  if (!options.allowBuild || !go) return undefined;
  options.onBuildStart?.();
  await goInstall(go, options.projectDir);
  return isExecutable(local) ? { path: local, source: 'go install' } : undefined;
}

export function localCliPath(projectDir: string): string {
  return path.join(projectDir, '.tools', 'bin', 'temporal');
}

export const MISSING_CLI_MESSAGE =
  'No Temporal CLI found and it could not be built or downloaded. Install Go (then `npm start` builds it once), ' +
  'put a `temporal` binary on PATH or in .tools/bin/, set TEMPORAL_CLI=/path/to/temporal, ' +
  'or point TEMPORAL_ADDRESS at a running Temporal server.';

/** No CLI on this machine and none could be built: the message says every way to get one. */
export class MissingTemporalCliError extends Error {
  override name = 'MissingTemporalCliError';
  constructor() {
    super(MISSING_CLI_MESSAGE);
  }
}

function goInstall(go: string, projectDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      cwd: projectDir,
      env: { ...process.env, GOBIN: path.join(projectDir, '.tools', 'bin') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => reject(new Error(`go install failed to start: ${error.message}`)));
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      reject(new Error(`go install ${TEMPORAL_CLI_MODULE} failed (exit ${code}):\n${output}`));
    });
  });
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return existsSync(file);
  } catch {
    return false;
  }
}
