import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Hides where this server keeps its files: what the API returns names DATA_DIR, never the absolute
 * folder (which tells a caller the user name, the install layout, the disk).
 */
export class ServerPaths {
  private readonly folderUrl: string;

  constructor(private readonly dataDir: string) {
    this.folderUrl = pathToFileURL(dataDir).href;
  }

  /** An artifact's file as a path relative to DATA_DIR, or null when it is not a file inside it. */
  relativeFile(uri: string): string | null {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return null;
    }
    const relative = path.relative(this.dataDir, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? null : relative.split(path.sep).join('/');
  }

  /** Text (an error, a log line) with DATA_DIR written as such. */
  text(value: string): string {
    return value.replaceAll(this.folderUrl, 'DATA_DIR').replaceAll(this.dataDir, 'DATA_DIR');
  }

  /** The same for every string inside a stored JSON value (a summary, a log line's data). */
  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.json(item));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.json(item)]));
  }

  nullableText(value: string | null): string | null {
    return value === null ? null : this.text(value);
  }
}
