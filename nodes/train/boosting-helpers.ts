import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { alone } from '../../ml/boosting/sharing';
import { type BoostingThreads, runStep, type Step } from '../../ml/boosting/threads';
import { HelperFailed, HelperSignals } from './helper-signals';

/** The fitting thread's end of the link to its helpers. */
export interface HelperLink {
  cells: Int32Array;
  /** One per helper. */
  ports: MessagePort[];
}

/** A helper's end: what its task (boosting-helper-thread.ts) is started with. */
export interface HelperStart {
  cells: Int32Array;
  port: MessagePort;
}

/**
 * What the fitting thread posts to a helper for each step: the step without its workspace, which
 * is posted once, the first time a step uses it (posting one costs tens of microseconds).
 */
export interface HelperJob {
  /** The tag of the job's first phase (see helper-signals.ts). */
  tag: number;
  workspaceId: number;
  workspace?: Step['workspace'];
  fields: StepFields;
}

/** A step without its workspace, kind by kind. */
export type StepFields = Step extends infer S ? (S extends Step ? Omit<S, 'workspace'> : never) : never;

/** The step again from its fields and its workspace, checking that the workspace is its kind's. */
export function withWorkspace(fields: StepFields, workspace: Step['workspace']): Step {
  const grower = 'codes' in workspace;
  const bins = 'cutCounts' in workspace;
  switch (fields.kind) {
    case 'bins':
      if (bins) return { ...fields, workspace };
      break;
    case 'root':
    case 'node':
    case 'partition':
    case 'leafValues':
      if (grower) return { ...fields, workspace };
      break;
    case 'gradients':
    case 'treeScores':
      if ('rawValidation' in workspace) return { ...fields, workspace };
      break;
  }
  throw new Error(`Step ${fields.kind} came with another kind's workspace`);
}

/** Both ends of a new link between a fitting thread and `helpers` helper threads. */
export function linkHelpers(helpers: number): { link: HelperLink; starts: HelperStart[] } {
  const { cells } = new HelperSignals();
  const ports: MessagePort[] = [];
  const starts: HelperStart[] = [];
  for (let helper = 0; helper < helpers; helper++) {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    starts.push({ cells, port: port2 });
  }
  return { link: { cells, ports }, starts };
}

/**
 * The fitting thread's side of a boosting fit on several threads (ml/boosting/threads.ts): each
 * step goes to the helpers, and all threads take its chunks until none is left. Helpers are tasks
 * on other threads of the training pool (fit-pool.ts) and may start late; until all of them listen,
 * steps run on this thread alone, which gives the same model, so a fit never waits for them.
 * `close` (at the end of the fit) makes them return.
 */
export class BoostingHelpers implements BoostingThreads {
  readonly parts: number;
  readonly minWork: number;
  private readonly signals: HelperSignals;
  private readonly ports: MessagePort[];
  private readonly workspaceIds = new Map<Step['workspace'], number>();
  private jobs = 0;

  /**
   * A hand-off costs some 20–40 µs here, and a step of 50,000 histogram cells (see stepWork) takes
   * about 200 µs on one thread: below `minWork` cells (default 50,000), sharing saves less than it
   * costs.
   */
  constructor(link: HelperLink, options: { minWork?: number } = {}) {
    this.signals = new HelperSignals(link.cells);
    this.ports = link.ports;
    this.parts = link.ports.length + 1;
    this.minWork = options.minWork ?? 50_000;
  }

  /** Steps shared with the helpers so far (the others ran on this thread alone). */
  get sharedSteps(): number {
    return this.jobs;
  }

  /** Chunks of the shared steps the helpers took (the calling thread took the others). */
  get helpedChunks(): number {
    return this.signals.helpedChunks();
  }

  /** Whether every helper listens for steps. */
  get started(): boolean {
    return this.signals.readyCount() === this.ports.length;
  }

  run(step: Step): void {
    if (!this.started) {
      runStep(step, alone());
      return;
    }
    const job = this.jobFor(step);
    try {
      const team = this.signals.startJob((tag) => {
        for (const port of this.ports) port.postMessage({ ...job, tag });
      });
      this.jobs++;
      runStep(step, team);
      team.finish();
    } catch (error) {
      throw error instanceof HelperFailed ? this.helperError() : error;
    }
  }

  /** The fit has ended: the helpers return (one that has not started yet returns when it does). */
  close(): void {
    this.signals.stop();
    for (const port of this.ports) port.close();
  }

  private jobFor(step: Step): Omit<HelperJob, 'tag'> {
    const { workspace, ...fields }: { workspace: Step['workspace'] } & StepFields = step;
    const known = this.workspaceIds.get(workspace);
    if (known !== undefined) return { workspaceId: known, fields };
    // Posting copies what is not in shared memory: helpers would write to copies, unseen here.
    if (typedArraysIn(workspace).some((array) => !(array.buffer instanceof SharedArrayBuffer)))
      throw new Error('A boosting fit shared between threads needs its arrays in shared memory');
    const workspaceId = this.workspaceIds.size;
    this.workspaceIds.set(workspace, workspaceId);
    return { workspaceId, workspace, fields };
  }

  /** The error a helper posted before signalling its failure. */
  private helperError(): Error {
    for (const port of this.ports) {
      const received = receiveMessageOnPort(port);
      if (received) return new Error(`A boosting helper thread failed: ${String(received.message)}`);
    }
    return new HelperFailed();
  }
}

/** The typed arrays in a workspace, nested objects included. */
function typedArraysIn(value: object): ArrayBufferView[] {
  return Object.values(value).flatMap((field: unknown) => {
    if (ArrayBuffer.isView(field)) return [field];
    return typeof field === 'object' && field !== null ? typedArraysIn(field) : [];
  });
}
