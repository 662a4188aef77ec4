import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const ignored = ['node_modules/**', '.next/**', '.data/**', '.tools/**'];
// One PostgreSQL and one Temporal dev server for the integration and browser projects together; each
// test file isolates its data in a database and a task queue of its own.
const servicesSetup = 'tests/support/shared-services-setup.ts';

/**
 * Three projects, so that unit tests need no services (`npx vitest --project unit`):
 * - unit: the *.test.ts files beside the code. No PostgreSQL, no Temporal.
 * - integration: tests/*.test.ts, and any *.integration.test.ts beside the code that needs services.
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
          include: ['**/*.test.ts'],
          exclude: [...ignored, 'tests/**', '**/*.integration.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/*.test.ts', '**/*.integration.test.ts'],
          globalSetup: [servicesSetup],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], globalSetup: [servicesSetup] },
      },
    ],
  },
});
