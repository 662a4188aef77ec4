import ort from 'onnxruntime-node';
import type { Sql } from '../db/client';
import {
  findAliasedVersion,
  findModelByName,
  findModelVersion,
  MODEL_CHANGES_CHANNEL,
  type ModelVersionRow,
  readModelFile,
} from '../db/queries/registry';
import { DEFAULT_ROLLOUT, findRolloutSettings, type RolloutSettings } from '../db/queries/rollout';
import {
  MODEL_FILE,
  type ModelAlias,
  type ModelSignature,
  modelSignatureSchema,
} from '../registry/version-schema';
import { Lru } from './lru';

/**
 * The versions this serving process has loaded: one onnxruntime session per version, with its
 * signature, found by (model name, alias) or (model name, version number).
 *
 * Hot swap: an alias change is announced on MODEL_CHANGES_CHANNEL (and checked every `pollMs` in
 * case a notification was missed). The new version's session is loaded first, then the alias is
 * switched; requests that hold a lease on the old version finish on it, and its session is released
 * when the last of them is done. Once loaded, a version answers without PostgreSQL, so serving
 * keeps going while the database is down.
 */

export interface ServedVersion {
  modelId: string;
  /** The model's name as registered (requests may differ in case). */
  name: string;
  version: number;
  versionId: string;
  signature: ModelSignature;
  session: ort.InferenceSession;
}

/** A version held for one request: call release() when its answer is written. */
export interface Lease {
  served: ServedVersion;
  release(): void;
}

export type VersionSelector = { alias: ModelAlias } | { version: number };

/** How a model's production requests share with staging (db model_rollout), as serving applies it. */
export type RolloutPlan = Pick<RolloutSettings, 'mode' | 'canaryPercent'>;

type Refusal = { ok: false; status: 404 | 503; message: string };
export type Identified = { ok: true; id: string; name: string } | Refusal;
export type Described = { ok: true; name: string; version: number; signature: ModelSignature } | Refusal;
export type Resolution = { ok: true; lease: Lease } | Refusal;

export interface ModelCacheOptions {
  sql: Sql;
  /** The fallback check of every tracked alias, for notifications lost while disconnected. */
  pollMs?: number;
  /** onnxruntime threads per session: 1 serves single rows fastest with several requests at once. */
  intraOpThreads?: number;
  /** Versions asked for by number (not by alias) kept loaded; the least recently used goes first. */
  pinnedVersions?: number;
  /** One line per event worth an operator's attention (a failed load, a swap). */
  log?: (line: string) => void;
}

interface Loaded {
  served: ServedVersion;
  inFlight: number;
  retired: boolean;
}

interface ModelEntry {
  id: string;
  name: string;
  /** Aliases someone asked for: each is checked on every refresh. */
  wanted: Set<ModelAlias>;
  /** The wanted aliases' versions once checked (and kept loaded); null: the alias points nowhere. */
  aliases: Map<ModelAlias, Loaded | null>;
  /** Why the last check of an alias failed, for the request that asked for it first. */
  failures: Map<ModelAlias, unknown>;
  /** Refreshes of one model run one after the other, so switches happen in order. */
  refreshing: Promise<void>;
  /** The rollout settings as last read (each refresh reads them again, with the aliases). */
  rollout: RolloutPlan;
}

/** What a lookup found: the model, and its version's session (null: no such version). */
type Found = { ok: true; entry: ModelEntry; loaded: Loaded | null };

/** A request finds a retired version at most this often in a row before it is told to retry. */
const MAX_RESOLVE_ATTEMPTS = 3;

/**
 * An unknown name (or version number) is remembered this long, so a flood of them does not reach
 * PostgreSQL each time.
 */
const UNKNOWN_NAME_MS = 1_000;
/** Unknown names (and version numbers) remembered at most: made-up ones must not grow the memory. */
const MAX_UNKNOWN_NAMES = 10_000;

export class ModelCache {
  private readonly sql: Sql;
  private readonly options: Required<Omit<ModelCacheOptions, 'sql'>>;
  private readonly models = new Map<string, ModelEntry>();
  private readonly modelsById = new Map<string, ModelEntry>();
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  /** modelId:version → loaded: versions asked for by number; the least recently used is retired. */
  private readonly pinned: Lru<string, Loaded>;
  /** Lower-cased names no model has → until when that answer stands. */
  private readonly unknownNames = new Lru<string, number>(MAX_UNKNOWN_NAMES);
  /** modelId:version of versions that do not exist → until when that answer stands. */
  private readonly missingVersions = new Lru<string, number>(MAX_UNKNOWN_NAMES);
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(options: ModelCacheOptions) {
    this.sql = options.sql;
    this.options = {
      pollMs: options.pollMs ?? 5_000,
      intraOpThreads: options.intraOpThreads ?? 1,
      pinnedVersions: options.pinnedVersions ?? 8,
      log: options.log ?? (() => {}),
    };
    this.pinned = new Lru(this.options.pinnedVersions, (_key, loaded) => this.retireIfUnused(loaded));
  }

  /**
   * Starts listening for alias changes and the periodic check. Never throws: if PostgreSQL is down,
   * postgres.js keeps the listener and listens again once it can reach the database.
   */
  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** The name's model as this process knows it, without asking PostgreSQL (for metrics labels). */
  knownName(name: string): string | undefined {
    return this.models.get(name.toLowerCase())?.name;
  }

  /**
   * The model's rollout as last read, without an await (it is read with the aliases, on every
   * notification and periodic check): none for a model this process has not looked up yet.
   */
  rolloutOf(name: string): RolloutPlan {
    return this.models.get(name.toLowerCase())?.rollout ?? DEFAULT_ROLLOUT;
  }

  /** The model of this name (its id and registered spelling), for requests that need no version. */
  async identify(name: string): Promise<Identified> {
    try {
      const entry = await this.model(name);
      if (!entry) return { ok: false, status: 404, message: `No model is named "${name}"` };
      return { ok: true, id: entry.id, name: entry.name };
    } catch {
      return {
        ok: false,
        status: 503,
        message: `The model registry is unreachable right now; try again shortly`,
      };
    }
  }

  /**
   * Leases the version a request asks for. The lease is taken in the same turn as the lookup that
   * found the version: a refresh that retires (and releases) a version runs between awaits, so a
   * version found after an await is checked again and, if it was retired meanwhile, looked up anew.
   */
  async resolve(name: string, selector: VersionSelector): Promise<Resolution> {
    for (let attempt = 0; attempt < MAX_RESOLVE_ATTEMPTS; attempt += 1) {
      const found = this.cached(name, selector) ?? (await this.find(name, selector));
      if (!found.ok) return found;
      if (!found.loaded) return { ok: false, status: 404, message: missing(found.entry, selector) };
      if (!found.loaded.retired) return { ok: true, lease: this.lease(found.loaded) };
    }
    return {
      ok: false,
      status: 503,
      message: `Model "${name}" is switching versions right now; try again`,
    };
  }

  /** The version, if this process already tracks it, found without an await. */
  private cached(name: string, selector: VersionSelector): Found | undefined {
    const entry = this.models.get(name.toLowerCase());
    if (!entry) return undefined;
    const loaded =
      'alias' in selector ? entry.aliases.get(selector.alias) : this.tracked(entry, selector.version);
    return loaded === undefined ? undefined : { ok: true, entry, loaded };
  }

  private async find(name: string, selector: VersionSelector): Promise<Found | Refusal> {
    let entry: ModelEntry | undefined;
    try {
      entry = await this.model(name);
    } catch {
      return {
        ok: false,
        status: 503,
        message: `The model registry is unreachable and model "${name}" is not loaded yet`,
      };
    }
    if (!entry) return { ok: false, status: 404, message: `No model is named "${name}"` };
    try {
      const loaded =
        'alias' in selector
          ? await this.aliased(entry, selector.alias)
          : await this.numbered(entry, selector.version);
      return { ok: true, entry, loaded };
    } catch (error) {
      return { ok: false, status: 503, message: unavailable(entry, selector, error) };
    }
  }

  /**
   * The signature of the version a request names, for its OpenAPI document: from the loaded
   * version when there is one, otherwise from its registry row (no ONNX session is loaded for it).
   */
  async describe(name: string, selector: VersionSelector): Promise<Described> {
    const found = this.cached(name, selector);
    if (found?.ok && found.loaded) {
      const { served } = found.loaded;
      return { ok: true, name: served.name, version: served.version, signature: served.signature };
    }
    if (found?.ok) return { ok: false, status: 404, message: missing(found.entry, selector) };
    let entry: ModelEntry | undefined;
    try {
      entry = await this.model(name);
      if (!entry) return { ok: false, status: 404, message: `No model is named "${name}"` };
      const row = await this.versionRow(entry, selector);
      if (!row) return { ok: false, status: 404, message: missing(entry, selector) };
      const signature = modelSignatureSchema.safeParse(row.signature);
      if (!signature.success)
        return {
          ok: false,
          status: 503,
          message: `Model "${entry.name}" has a version whose signature is not valid`,
        };
      return { ok: true, name: entry.name, version: row.version, signature: signature.data };
    } catch {
      return {
        ok: false,
        status: 503,
        message: `The model registry is unreachable and model "${entry?.name ?? name}" is not loaded yet`,
      };
    }
  }

  private async versionRow(
    entry: ModelEntry,
    selector: VersionSelector,
  ): Promise<ModelVersionRow | undefined> {
    if ('alias' in selector) return findAliasedVersion(this.sql, entry.id, selector.alias);
    const key = `${entry.id}:${selector.version}`;
    const until = this.missingVersions.peek(key);
    if (until !== undefined && until > Date.now()) return undefined;
    const row = await findModelVersion(this.sql, entry.id, selector.version);
    if (!row) this.missingVersions.set(key, Date.now() + UNKNOWN_NAME_MS);
    return row;
  }

  /** Releases every session; requests must have finished. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await Promise.allSettled([...this.loading.values()]);
    for (const loaded of this.loaded.values()) await loaded.served.session.release().catch(() => {});
    this.loaded.clear();
  }

  private lease(loaded: Loaded): Lease {
    loaded.inFlight += 1;
    let released = false;
    return {
      served: loaded.served,
      release: () => {
        if (released) return;
        released = true;
        loaded.inFlight -= 1;
        if (loaded.retired && loaded.inFlight === 0) void loaded.served.session.release().catch(() => {});
      },
    };
  }

  private async model(name: string): Promise<ModelEntry | undefined> {
    const key = name.toLowerCase();
    const cached = this.models.get(key);
    if (cached) return cached;
    const until = this.unknownNames.peek(key);
    if (until !== undefined && until > Date.now()) return undefined;
    const row = await findModelByName(this.sql, name);
    if (!row) {
      this.unknownNames.set(key, Date.now() + UNKNOWN_NAME_MS);
      return undefined;
    }
    const existing = this.modelsById.get(row.id);
    if (existing) return existing;
    const entry: ModelEntry = {
      id: row.id,
      name: row.name,
      wanted: new Set(),
      aliases: new Map(),
      failures: new Map(),
      refreshing: Promise.resolve(),
      rollout: DEFAULT_ROLLOUT,
    };
    this.models.set(key, entry);
    this.modelsById.set(row.id, entry);
    return entry;
  }

  /**
   * An alias asked for the first time is checked by a refresh, in the model's chain of refreshes:
   * a notification that arrives while its version loads queues a check after it (rather than
   * finding nothing to re-read), and two first requests at once share one check and one session.
   */
  private async aliased(entry: ModelEntry, alias: ModelAlias): Promise<Loaded | null> {
    const tracked = entry.aliases.get(alias);
    if (tracked !== undefined) return tracked;
    entry.wanted.add(alias);
    await this.refresh(entry);
    const checked = entry.aliases.get(alias);
    if (checked !== undefined) return checked;
    throw entry.failures.get(alias) ?? new Error('the serving process is closing');
  }

  /** A version asked for by number that is loaded already: pinned, or held by an alias. */
  private tracked(entry: ModelEntry, version: number): Loaded | undefined {
    const key = `${entry.id}:${version}`;
    const pinned = this.pinned.get(key);
    if (pinned) return pinned;
    for (const loaded of entry.aliases.values()) if (loaded?.served.version === version) return loaded;
    return undefined;
  }

  private async numbered(entry: ModelEntry, version: number): Promise<Loaded | null> {
    const key = `${entry.id}:${version}`;
    const tracked = this.tracked(entry, version);
    if (tracked) return tracked;
    const row = await this.versionRow(entry, { version });
    if (!row) return null;
    const loaded = await this.load(entry, row);
    this.pinned.set(key, loaded);
    return loaded;
  }

  /** The version's session, loaded once however many requests ask at the same time. */
  private async load(entry: ModelEntry, row: ModelVersionRow): Promise<Loaded> {
    const existing = this.loaded.get(row.id);
    if (existing) return existing;
    const pending = this.loading.get(row.id);
    if (pending) return pending;
    const loading = this.createSession(entry, row).finally(() => this.loading.delete(row.id));
    this.loading.set(row.id, loading);
    return loading;
  }

  private async createSession(entry: ModelEntry, row: ModelVersionRow): Promise<Loaded> {
    const signature = modelSignatureSchema.safeParse(row.signature);
    if (!signature.success) throw new VersionLoadError('its signature is not valid');
    const file = await readModelFile(this.sql, row.id, MODEL_FILE);
    if (!file) throw new VersionLoadError('it has no ONNX file');
    const session = await ort.InferenceSession.create(file.content, {
      intraOpNumThreads: this.options.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    }).catch(() => {
      throw new VersionLoadError('onnxruntime cannot load its ONNX file');
    });
    const known = new Set(signature.data.inputs.map((column) => column.name));
    const unsigned = session.inputNames.filter((input) => !known.has(input));
    if (unsigned.length > 0) {
      await session.release().catch(() => {});
      throw new VersionLoadError(
        `its graph takes inputs its signature does not list (${unsigned.join(', ')})`,
      );
    }
    const loaded: Loaded = {
      served: {
        modelId: entry.id,
        name: entry.name,
        version: row.version,
        versionId: row.id,
        signature: signature.data,
        session,
      },
      inFlight: 0,
      retired: false,
    };
    this.loaded.set(row.id, loaded);
    return loaded;
  }

  /** Releases a version nobody points to any more, once its last request is done. */
  private retireIfUnused(loaded: Loaded): void {
    const used =
      [...this.pinned.values()].includes(loaded) ||
      [...this.modelsById.values()].some((entry) => [...entry.aliases.values()].includes(loaded));
    if (used || loaded.retired) return;
    loaded.retired = true;
    this.loaded.delete(loaded.served.versionId);
    if (loaded.inFlight === 0) void loaded.served.session.release().catch(() => {});
  }

  /**
   * Re-reads a model's wanted aliases; a changed one is loaded before it is switched. The stored
   * chain never rejects: a failed check must not stop every check queued after it.
   */
  private refresh(entry: ModelEntry): Promise<void> {
    // recheck() catches each alias's failure; the catch here is for the unforeseen.
    entry.refreshing = entry.refreshing.then(() => this.recheck(entry)).catch(() => {});
    return entry.refreshing;
  }

  private async recheck(entry: ModelEntry): Promise<void> {
    await this.recheckRollout(entry);
    for (const alias of entry.wanted) {
      if (this.closed) return;
      try {
        await this.recheckAlias(entry, alias);
        entry.failures.delete(alias);
      } catch (error) {
        // The database went away mid-check, or the new version does not load: the old version (if
        // any) keeps serving, and the next notification or periodic check tries again.
        entry.failures.set(alias, error);
        if (error instanceof VersionLoadError)
          this.options.log(`${entry.name} ${alias}: the new version is not served: ${error.message}`);
      }
    }
  }

  /**
   * Reads the model's rollout settings. Shadow and canary need staging's version loaded beside
   * production's, so staging becomes a wanted alias (checked right after, in the same refresh).
   * If PostgreSQL is unreachable the settings last read stand.
   */
  private async recheckRollout(entry: ModelEntry): Promise<void> {
    try {
      const settings = await findRolloutSettings(this.sql, entry.id);
      const changed =
        settings.mode !== entry.rollout.mode || settings.canaryPercent !== entry.rollout.canaryPercent;
      entry.rollout = { mode: settings.mode, canaryPercent: settings.canaryPercent };
      if (settings.mode !== 'none') entry.wanted.add('staging');
      if (changed)
        this.options.log(
          `${entry.name} rollout: ${settings.mode}${settings.mode === 'canary' ? ` ${settings.canaryPercent}%` : ''}`,
        );
    } catch {
      // Kept as it was; the next notification or periodic check reads it again.
    }
  }

  private async recheckAlias(entry: ModelEntry, alias: ModelAlias): Promise<void> {
    const current = entry.aliases.get(alias);
    const row = await findAliasedVersion(this.sql, entry.id, alias);
    if (current !== undefined && (row?.id ?? null) === (current?.served.versionId ?? null)) return;
    const next = row ? await this.load(entry, row) : null;
    entry.aliases.set(alias, next);
    // The first check of an alias is no switch.
    if (current === undefined) return;
    this.options.log(
      `${entry.name} ${alias}: ${current ? `version ${current.served.version}` : 'none'} → ${next ? `version ${next.served.version}` : 'none'}`,
    );
    if (current) this.retireIfUnused(current);
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.modelsById.values()].map((entry) => this.refresh(entry)));
  }

  private async listen(): Promise<void> {
    try {
      const { unlisten } = await this.sql.listen(
        MODEL_CHANGES_CHANNEL,
        (modelId) => {
          // A model created or promoted for the first time may be one recently asked for in vain.
          this.unknownNames.clear();
          this.missingVersions.clear();
          const entry = this.modelsById.get(modelId);
          if (entry) void this.refresh(entry);
        },
        // Called again after every reconnect: what changed while disconnected is read now.
        () => void Promise.all([...this.modelsById.values()].map((entry) => this.refresh(entry))),
      );
      this.unlisten = unlisten;
    } catch {
      // PostgreSQL is down. postgres.js keeps this listener and listens again on its own (its
      // onlisten then re-reads every model): calling listen() again would add a second listener.
    }
  }
}

class VersionLoadError extends Error {
  override name = 'VersionLoadError';
}

function missing(entry: ModelEntry, selector: VersionSelector): string {
  return 'alias' in selector
    ? `Model "${entry.name}" has no ${selector.alias} version`
    : `Model "${entry.name}" has no version ${selector.version}`;
}

function unavailable(entry: ModelEntry, selector: VersionSelector, error: unknown): string {
  const which = 'alias' in selector ? `its ${selector.alias} version` : `version ${selector.version}`;
  if (error instanceof VersionLoadError)
    return `Model "${entry.name}" cannot serve ${which}: ${error.message}`;
  return `The model registry is unreachable and ${which} of model "${entry.name}" is not loaded yet`;
}
