import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const root = import.meta.dirname;

/** Helpers that reach PostgreSQL or Temporal through the values the services global setup provides. */
const SERVICE_HELPERS = ['database', 'temporal', 'fixture', 'web-app', 'cli', 'services', 'global-setup'].map(
  (name) => path.join(root, 'tests', 'support', `${name}.ts`),
);

async function projectFiles(name: string): Promise<{ files: string[]; globalSetup: string[] }> {
  const vitest = await createVitest('test', {
    project: name,
    run: false,
    watch: false,
    config: 'vitest.config.ts',
  });
  try {
    const specs = await vitest.globTestSpecifications();
    const project = vitest.projects.find((each) => each.name === name);
    return {
      files: specs.map((spec) => spec.moduleId).sort(),
      globalSetup: [project?.config.globalSetup ?? []].flat(),
    };
  } finally {
    await vitest.close();
  }
}

/** Folders that hold no test of ours: dependencies, builds, local data and tools. */
const NOT_OURS = new Set(['node_modules', '.next', '.data', '.tools', '.git']);

/** Every *.test.ts and *.test.tsx file in the repository, found by walking it (not by vitest's globs). */
function testFilesOnDisk(folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : testFilesOnDisk(full);
    return /\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The names of the projects whose globs take a file, which need not exist. */
async function projectsTaking(relativePaths: string[]): Promise<string[][]> {
  const vitest = await createVitest('test', { run: false, watch: false, config: 'vitest.config.ts' });
  try {
    return relativePaths.map((file) =>
      vitest.projects
        .filter((project) => project.matchesTestGlob(path.join(root, file), () => ''))
        .map((project) => project.name),
    );
  } finally {
    await vitest.close();
  }
}

/** Every repository file a module reaches through relative imports. */
function reachableFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const resolved = resolveModule(path.resolve(path.dirname(file), match[1] ?? ''));
      if (resolved) pending.push(resolved);
    }
  }
  return seen;
}

function resolveModule(base: string): string | undefined {
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {}
  }
  return undefined;
}

describe('vitest projects', () => {
  it('run unit tests without services, and every test file in exactly one project', async () => {
    const unit = await projectFiles('unit');
    const integration = await projectFiles('integration');
    const browser = await projectFiles('browser');
    expect(unit.globalSetup).toEqual([]);
    expect(integration.globalSetup).toEqual([path.join(root, 'tests/support/shared-services-setup.ts')]);
    expect(browser.globalSetup).toEqual(integration.globalSetup);

    expect(unit.files).toContain(path.join(root, 'ml/matrix.test.ts'));
    expect(integration.files).toContain(path.join(root, 'tests/engine.test.ts'));
    expect(browser.files).toContain(path.join(root, 'tests/e2e/editor.test.ts'));
    const all = [...unit.files, ...integration.files, ...browser.files];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(testFilesOnDisk().sort());
  });

  it('put a test file in the project its place names, whatever its folder or extension', async () => {
    const files = {
      'ml/matrix.test.ts': 'unit',
      'app/_components/format.test.tsx': 'unit',
      'vitest.config.test.ts': 'unit',
      'nodes/ingest/postgres.integration.test.ts': 'integration',
      'app/_editor/canvas.integration.test.tsx': 'integration',
      'tests/engine.test.ts': 'integration',
      'tests/api/routes.test.ts': 'integration',
      'tests/support/ports.test.ts': 'integration',
      'tests/page.test.tsx': 'integration',
      'tests/e2e/editor.test.ts': 'browser',
      'tests/e2e/flows/template.test.ts': 'browser',
      'tests/e2e/zoom.test.tsx': 'browser',
    };
    const taken = await projectsTaking(Object.keys(files));
    expect(Object.fromEntries(Object.keys(files).map((file, index) => [file, taken[index]]))).toEqual(
      Object.fromEntries(Object.entries(files).map(([file, project]) => [file, [project]])),
    );
  });

  it('keep unit test files away from the helpers that need PostgreSQL or Temporal', async () => {
    const { files } = await projectFiles('unit');
    const offenders = files.filter((file) => {
      const reached = reachableFiles(file);
      return (
        SERVICE_HELPERS.some((helper) => reached.has(helper)) ||
        [...reached].some((each) => /\binject\(/.test(readFileSync(each, 'utf8')))
      );
    });
    // A unit test that needs services belongs in tests/ or in a *.integration.test.ts file.
    expect(offenders.map((file) => path.relative(root, file))).toEqual([]);
  });
});
