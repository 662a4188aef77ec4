import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface GroupChild {
  name: string;
  /** The child leads its own process group, so its pid is the group id. */
  pgid: number;
  process: ChildProcess;
  logFile: string;
  /** The exit code; null when a signal ended it. */
  exited: Promise<number | null>;
  /** How it ended, for messages such as "killed by SIGKILL". */
  ended: Promise<ExitInfo>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "exit code 1", "killed by SIGKILL". */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

export interface SpawnGroupOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

/**
 * Starts a command as the leader of a new process group with its output appended to a log file.
 * Signalling the group reaches grandchildren too (npx → next → next-server), which signalling
 * the child alone does not.
 */
export function spawnGroup(options: SpawnGroupOptions): GroupChild {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  // Both pipes feed one log; it is closed once both are done, or a restarted component leaks a descriptor.
  child.once('close', () => log.end());
  const ended = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: -1, signal: null }));
  });
  const exited = ended.then((exit) => exit.code);
  if (child.pid === undefined) {
    log.end();
    throw new Error(`could not start ${options.name} (${options.command})`);
  }
  return { name: options.name, pgid: child.pid, process: child, logFile: options.logFile, exited, ended };
}

export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group, then SIGKILL for whatever is left after graceMs. */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signalGroup(pgid, 'SIGKILL');
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
