import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Hides where this server keeps its files: what the API returns names DATA_DIR, never the absolute
 * folder (which tells a caller the user name, the install layout, the disk).
 */
export class ServerPaths {
  /** The folder as configured and, when a symbolic link leads to it, as the file system names it. */
  private readonly folders: string[];

  constructor(private readonly dataDir: string) {
    const real = existsSync(dataDir) ? realpathSync(dataDir) : dataDir;
    const spellings = real === dataDir ? [dataDir] : [dataDir, real];
    // File URLs first: they contain the plain path, which would otherwise be replaced inside them.
    this.folders = [...spellings.map((folder) => pathToFileURL(folder).href), ...spellings];
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
    return this.folders.reduce((text, folder) => text.replaceAll(folder, 'DATA_DIR'), value);
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

  /**
   * The same for a preview cut short (a live change carries the first 200 bytes of a message): a
   * cut may fall inside the folder's path, so a tail that is the start of it is written DATA_DIR too.
   */
  preview(value: string): string {
    const whole = this.text(value);
    for (const folder of this.folders) {
      for (let length = Math.min(folder.length - 1, whole.length); length >= MIN_PARTIAL_FOLDER; length--) {
        if (whole.endsWith(folder.slice(0, length))) return `${whole.slice(0, -length)}DATA_DIR`;
      }
    }
    return whole;
  }

  nullablePreview(value: string | null | undefined): string | null | undefined {
    return value == null ? value : this.preview(value);
  }
}

/** The shortest start of the folder's path taken for it at the end of a cut message (`/tmp/` and up). */
const MIN_PARTIAL_FOLDER = 5;
