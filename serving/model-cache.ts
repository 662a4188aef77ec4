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
import {
  MODEL_FILE,
  type ModelAlias,
  type ModelSignature,
  modelSignatureSchema,
} from '../registry/version-schema';

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

export type Resolution = { ok: true; lease: Lease } | { ok: false; status: 404 | 503; message: string };

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
  /** Only aliases someone asked for are tracked (and kept loaded); null: the alias points nowhere. */
  aliases: Map<ModelAlias, Loaded | null>;
  /** Refreshes of one model run one after the other, so switches happen in order. */
  refreshing: Promise<void>;
}

/** An unknown name is remembered this long, so a flood of them does not reach PostgreSQL each time. */
const UNKNOWN_NAME_MS = 1_000;
/** Unknown names remembered at most: made-up names must not grow the memory without bound. */
const MAX_UNKNOWN_NAMES = 10_000;

export class ModelCache {
  private readonly sql: Sql;
  private readonly options: Required<Omit<ModelCacheOptions, 'sql'>>;
  private readonly models = new Map<string, ModelEntry>();
  private readonly modelsById = new Map<string, ModelEntry>();
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  /** modelId:version → loaded, least recently used first. */
  private readonly pinned = new Map<string, Loaded>();
  private readonly unknownNames = new Map<string, number>();
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
  }

  /** Starts listening for alias changes and the periodic check. Never throws: a database that is down is retried. */
  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** The name's model as this process knows it, without asking PostgreSQL (for metrics labels). */
  knownName(name: string): string | undefined {
    return this.models.get(name.toLowerCase())?.name;
  }

  async resolve(name: string, selector: VersionSelector): Promise<Resolution> {
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
    let loaded: Loaded | null;
    try {
      loaded =
        'alias' in selector
          ? await this.aliased(entry, selector.alias)
          : await this.numbered(entry, selector.version);
    } catch (error) {
      return { ok: false, status: 503, message: unavailable(entry, selector, error) };
    }
    if (!loaded)
      return {
        ok: false,
        status: 404,
        message:
          'alias' in selector
            ? `Model "${entry.name}" has no ${selector.alias} version`
            : `Model "${entry.name}" has no version ${selector.version}`,
      };
    return { ok: true, lease: this.lease(loaded) };
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
    const until = this.unknownNames.get(key);
    if (until !== undefined && until > Date.now()) return undefined;
    const row = await findModelByName(this.sql, name);
    if (!row) {
      if (this.unknownNames.size >= MAX_UNKNOWN_NAMES) this.unknownNames.clear();
      this.unknownNames.set(key, Date.now() + UNKNOWN_NAME_MS);
      return undefined;
    }
    const existing = this.modelsById.get(row.id);
    if (existing) return existing;
    const entry: ModelEntry = {
      id: row.id,
      name: row.name,
      aliases: new Map(),
      refreshing: Promise.resolve(),
    };
    this.models.set(key, entry);
    this.modelsById.set(row.id, entry);
    return entry;
  }

  private async aliased(entry: ModelEntry, alias: ModelAlias): Promise<Loaded | null> {
    const tracked = entry.aliases.get(alias);
    if (tracked !== undefined) return tracked;
    const row = await findAliasedVersion(this.sql, entry.id, alias);
    const loaded = row ? await this.load(entry, row) : null;
    // A refresh may have set it meanwhile (and it is newer): keep that one.
    if (!entry.aliases.has(alias)) entry.aliases.set(alias, loaded);
    return entry.aliases.get(alias) ?? null;
  }

  private async numbered(entry: ModelEntry, version: number): Promise<Loaded | null> {
    const key = `${entry.id}:${version}`;
    const pinned = this.pinned.get(key);
    if (pinned) {
      // Most recently used last.
      this.pinned.delete(key);
      this.pinned.set(key, pinned);
      return pinned;
    }
    const tracked = [...entry.aliases.values()].find((loaded) => loaded?.served.version === version);
    if (tracked) return tracked;
    const row = await findModelVersion(this.sql, entry.id, version);
    if (!row) return null;
    const loaded = await this.load(entry, row);
    this.pinned.set(key, loaded);
    while (this.pinned.size > this.options.pinnedVersions) {
      const [oldest] = this.pinned.entries();
      if (!oldest) break;
      this.pinned.delete(oldest[0]);
      this.retireIfUnused(oldest[1]);
    }
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

  /** Re-reads a model's tracked aliases; a changed one is loaded before it is switched. */
  private refresh(entry: ModelEntry): Promise<void> {
    entry.refreshing = entry.refreshing.then(async () => {
      for (const [alias, current] of entry.aliases) {
        if (this.closed) return;
        const row = await findAliasedVersion(this.sql, entry.id, alias);
        if ((row?.id ?? null) === (current?.served.versionId ?? null)) continue;
        const next = row ? await this.load(entry, row) : null;
        entry.aliases.set(alias, next);
        this.options.log(
          `${entry.name} ${alias}: ${current ? `version ${current.served.version}` : 'none'} → ${next ? `version ${next.served.version}` : 'none'}`,
        );
        if (current) this.retireIfUnused(current);
      }
    });
    return entry.refreshing.catch((error: unknown) => {
      // The database went away mid-check, or the new version does not load: the old one keeps serving.
      if (error instanceof VersionLoadError)
        this.options.log(`${entry.name}: the new version is not served: ${error.message}`);
    });
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    if (!this.unlisten) await this.listen();
    await Promise.all([...this.modelsById.values()].map((entry) => this.refresh(entry)));
  }

  private async listen(): Promise<void> {
    try {
      const { unlisten } = await this.sql.listen(
        MODEL_CHANGES_CHANNEL,
        (modelId) => {
          // A model created or promoted for the first time may be one recently asked for in vain.
          this.unknownNames.clear();
          const entry = this.modelsById.get(modelId);
          if (entry) void this.refresh(entry);
        },
        // Called again after every reconnect: what changed while disconnected is read now.
        () => void Promise.all([...this.modelsById.values()].map((entry) => this.refresh(entry))),
      );
      this.unlisten = unlisten;
    } catch {
      // PostgreSQL is down: the periodic check tries again.
    }
  }
}

class VersionLoadError extends Error {
  override name = 'VersionLoadError';
}

function unavailable(entry: ModelEntry, selector: VersionSelector, error: unknown): string {
  const which = 'alias' in selector ? `its ${selector.alias} version` : `version ${selector.version}`;
  if (error instanceof VersionLoadError)
    return `Model "${entry.name}" cannot serve ${which}: ${error.message}`;
  return `The model registry is unreachable and ${which} of model "${entry.name}" is not loaded yet`;
}
