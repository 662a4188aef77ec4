import { appendFileSync } from 'node:fs';
import type { ComponentState } from '../../config/services-file';
import { describeExit, type ExitInfo, type GroupChild, stopGroup } from '../process-group';
import {
  type CrashRecord,
  DEFAULT_RESTART_POLICY,
  decideAfterCrash,
  describeDuration,
  NO_CRASHES,
  type RestartPolicy,
} from './restart-policy';

export interface ComponentSpec {
  /** Short name used in services.json, health and the log: postgres, temporal, worker, app. */
  name: string;
  /** The component's own log file; restarts are written there too. */
  logFile: string;
  /**
   * Starts the process and resolves once it serves; rejects (having stopped it) when it cannot.
   * Calls `onSpawn` as soon as the process exists, long before it serves (next dev may take minutes),
   * so a stop meanwhile can end it and the next launcher can find it in services.json.
   */
  start(onSpawn: (child: GroupChild) => void): Promise<GroupChild>;
  /** false: a crash is not repaired by a restart, so the supervisor gives up at once. */
  restartOnCrash: boolean;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export interface SupervisorEvents {
  /** Every change of a component's state: the launcher stores them for /api/health. */
  onChange(name: string, state: ComponentState): void;
  /** A line for the console about a crash or a restart. */
  onNotice(name: string, message: string): void;
  /** The supervisor stopped trying; `reason` is the one line to show. Everything else still runs. */
  onGiveUp(name: string, reason: string): void;
}

interface Supervised {
  spec: ComponentSpec;
  child?: GroupChild;
  /** Spawned but not yet serving: not supervised for crashes yet, but stopped by stopAll. */
  starting?: GroupChild;
  startedAt: number;
  crashes: CrashRecord;
  restarts: number;
  timer?: NodeJS.Timeout;
  state: ComponentState;
}

/**
 * Keeps the launcher's processes running: a component that exits unexpectedly is restarted after a
 * growing delay (restart-policy.ts) until it crashes too often, and every step is reported so health
 * can show the component down meanwhile.
 */
export class Supervisor {
  private readonly components: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly events: SupervisorEvents,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a component for the first time; a failure here is the caller's to report. */
  async add(spec: ComponentSpec): Promise<GroupChild> {
    // The launcher's startup carries on for a moment after Ctrl-C; nothing new may start then.
    if (this.stopping) throw new Error(`${spec.name} was not started: stopping`);
    const entry: Supervised = {
      spec,
      startedAt: this.now(),
      crashes: NO_CRASHES,
      restarts: 0,
      state: this.state('starting', 0, 'starting'),
    };
    this.components.push(entry);
    this.events.onChange(spec.name, entry.state);
    const child = await this.startProcess(entry, 'starting');
    if (this.stopping) {
      await stopGroup(child.pgid, spec.stopGraceMs ?? 10_000);
      throw new Error(`${spec.name} was stopped while starting`);
    }
    this.adopt(entry, child);
    return child;
  }

  /** The processes that run now, serving or still starting, for crash recovery by the next launcher. */
  children(): GroupChild[] {
    return this.components.flatMap((entry) => {
      const child = entry.child ?? entry.starting;
      return child ? [child] : [];
    });
  }

  states(): Record<string, ComponentState> {
    return Object.fromEntries(this.components.map((entry) => [entry.spec.name, entry.state]));
  }

  /** Stops every component, the last started first; no restarts from here on. */
  async stopAll(onStopped?: (name: string) => void): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.components].reverse()) {
      clearTimeout(entry.timer);
      const child = entry.child ?? entry.starting;
      // A starting child's own readiness wait then sees it exit and rejects its start.
      if (child) await stopGroup(child.pgid, entry.spec.stopGraceMs ?? 10_000);
      entry.child = undefined;
      entry.starting = undefined;
      this.setState(entry, this.state('stopped', entry.restarts, 'stopped'));
      onStopped?.(entry.spec.name);
    }
  }

  /** Runs the spec's start, keeping the process on the entry from its spawn until start settles. */
  private async startProcess(entry: Supervised, detail: string): Promise<GroupChild> {
    try {
      return await entry.spec.start((child) => {
        // Spawned after stopAll went past this entry (start awaited something first): end it now.
        if (this.stopping) void stopGroup(child.pgid, entry.spec.stopGraceMs ?? 10_000);
        entry.starting = child;
        this.setState(
          entry,
          this.state('starting', entry.restarts, `${detail} (pid ${child.pgid})`, child.pgid),
        );
      });
    } finally {
      entry.starting = undefined;
    }
  }

  private adopt(entry: Supervised, child: GroupChild): void {
    entry.child = child;
    entry.startedAt = this.now();
    this.setState(entry, this.state('running', entry.restarts, `running (pid ${child.pgid})`, child.pgid));
    void child.ended.then((exit) => this.onExit(entry, child, exit));
  }

  private async onExit(entry: Supervised, child: GroupChild, exit: ExitInfo): Promise<void> {
    if (this.stopping || entry.child !== child) return;
    entry.child = undefined;
    // The leader is gone, but helpers it started (next-server, postgres backends) may hold its port.
    await stopGroup(child.pgid, 5_000);
    if (this.stopping) return;
    this.afterCrash(entry, describeExit(exit));
  }

  private afterCrash(entry: Supervised, how: string): void {
    const { spec } = entry;
    if (!spec.restartOnCrash) {
      this.giveUp(entry, `${spec.name} stopped unexpectedly (${how})`);
      return;
    }
    const decision = decideAfterCrash(entry.crashes, entry.startedAt, this.now(), this.policy);
    entry.crashes = decision.record;
    if (decision.action === 'give-up') {
      const window = describeDuration(this.policy.windowMs);
      this.giveUp(
        entry,
        `${spec.name} crashed ${decision.crashes} times within ${window} (last: ${how}); not restarting it again`,
      );
      return;
    }
    const seconds = decision.delayMs / 1000;
    const detail =
      `${how}; restarting in ${seconds} s (crash ${decision.record.recent.length} of ` +
      `${this.policy.maxCrashes} allowed within ${describeDuration(this.policy.windowMs)})`;
    this.setState(entry, this.state('restarting', entry.restarts, detail));
    this.notice(entry, `${spec.name} ${detail}`);
    entry.timer = setTimeout(() => void this.restart(entry), decision.delayMs);
  }

  private async restart(entry: Supervised): Promise<void> {
    if (this.stopping) return;
    const { spec } = entry;
    entry.restarts += 1;
    entry.startedAt = this.now();
    const detail = `restart ${entry.restarts}: starting`;
    this.setState(entry, this.state('starting', entry.restarts, detail));
    let child: GroupChild;
    try {
      child = await this.startProcess(entry, detail);
    } catch (error) {
      if (this.stopping) return;
      this.afterCrash(entry, `restart failed: ${firstLine(error)}`);
      return;
    }
    if (this.stopping) {
      await stopGroup(child.pgid, spec.stopGraceMs ?? 10_000);
      return;
    }
    this.adopt(entry, child);
    this.notice(entry, `${spec.name} restarted (pid ${child.pgid}, restart ${entry.restarts})`);
  }

  private giveUp(entry: Supervised, reason: string): void {
    this.setState(entry, this.state('failed', entry.restarts, reason));
    this.appendToLog(entry, reason);
    this.events.onGiveUp(entry.spec.name, reason);
  }

  private notice(entry: Supervised, message: string): void {
    this.appendToLog(entry, message);
    this.events.onNotice(entry.spec.name, message);
  }

  /** The component's log is where someone debugging it looks first, so restarts are written there. */
  private appendToLog(entry: Supervised, message: string): void {
    try {
      appendFileSync(entry.spec.logFile, `${new Date(this.now()).toISOString()} [supervisor] ${message}\n`);
    } catch {
      // A log that cannot be written must not stop the supervision; the console still has the line.
    }
  }

  private setState(entry: Supervised, state: ComponentState): void {
    entry.state = state;
    this.events.onChange(entry.spec.name, state);
  }

  private state(
    status: ComponentState['status'],
    restarts: number,
    detail: string,
    pid?: number,
  ): ComponentState {
    return { status, restarts, detail, since: new Date(this.now()).toISOString(), ...(pid ? { pid } : {}) };
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
