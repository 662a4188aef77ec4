import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const ignored = ['node_modules/**', '.next/**', '.data/**', '.tools/**'];
// One PostgreSQL and one Temporal dev server for the integration and browser projects together; each
// test file isolates its data in a database and a task queue of its own.
const servicesSetup = 'tests/support/shared-services-setup.ts';

const integrationTests = ['**/*.integration.test.ts', '**/*.integration.test.tsx'];
const browserTests = ['tests/e2e/**/*.test.ts', 'tests/e2e/**/*.test.tsx'];

/**
 * Three projects, so that unit tests need no services (`npx vitest --project unit`); every
 * *.test.ts and *.test.tsx file is in exactly one (vitest.config.test.ts walks the repository):
 * - unit: the test files beside the code. No PostgreSQL, no Temporal.
 * - integration: everything under tests/ but tests/e2e/, and any *.integration.test.ts(x) beside
 *   the code that needs services.
 * - browser: tests/e2e/**, the production build driven through Chromium.
 * `npm test` runs all three.
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    exclude: ignored,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...ignored, 'tests/**', ...integrationTests],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', ...integrationTests],
          exclude: [...ignored, 'tests/e2e/**'],
          globalSetup: [servicesSetup],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: browserTests, globalSetup: [servicesSetup] },
      },
    ],
  },
});
