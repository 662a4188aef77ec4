import type { Sql } from '../db/client';
import { type KeyUse, recordKeyUses } from '../db/queries/serving-keys';
import { databaseErrorCode, isDatabaseUnavailable } from './database-unavailable';

/**
 * Last-used times and request counts of API keys, noted per request in memory and written for all
 * keys in one statement now and then (never per request). While PostgreSQL is unavailable they
 * wait, merged with what comes after, for the next write.
 */
export class KeyUsage {
  private readonly noted = new Map<string, { lastUsed: Date; count: number }>();
  private writing: Promise<void> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly report: (message: string) => void,
  ) {}

  note(keyId: string, at = new Date()): void {
    const seen = this.noted.get(keyId);
    this.noted.set(keyId, { lastUsed: at, count: (seen?.count ?? 0) + 1 });
  }

  /** Writes what was noted; one write at a time. Never rejects. */
  flush(): Promise<void> {
    this.writing ??= this.write().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async write(): Promise<void> {
    if (this.noted.size === 0) return;
    const uses: KeyUse[] = [...this.noted].map(([keyId, use]) => ({ keyId, ...use }));
    this.noted.clear();
    try {
      await recordKeyUses(this.sql, uses);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        // Not worth retrying: PostgreSQL refused the statement itself.
        this.report(
          `Key cache: writing last-used times failed (${databaseErrorCode(error)}); they are dropped.`,
        );
        return;
      }
      for (const use of uses) {
        const since = this.noted.get(use.keyId);
        this.noted.set(use.keyId, {
          lastUsed: since?.lastUsed ?? use.lastUsed,
          count: use.count + (since?.count ?? 0),
        });
      }
    }
  }
}
