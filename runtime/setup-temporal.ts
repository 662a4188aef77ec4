/**
 * `npm run setup:temporal`: makes sure a Temporal CLI is available before the first `npm start`,
 * building it with Go into .tools/bin when none is found (TEMPORAL_CLI, PATH, .tools/bin).
 */
import { readEnv } from '../config/env';
import { projectDir } from './local-services';
import { MISSING_CLI_MESSAGE, resolveTemporalCli, TEMPORAL_CLI_MODULE } from './temporal-cli';

const cli = await resolveTemporalCli({
  projectDir,
  explicit: readEnv().TEMPORAL_CLI,
  allowBuild: true,
  onBuildStart: () => console.log(`Building ${TEMPORAL_CLI_MODULE} with Go into .tools/bin (a few minutes)…`),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
if (!cli) {
  console.error(`No Go on PATH to build it with. ${MISSING_CLI_MESSAGE}`);
  process.exit(1);
}
console.log(`Temporal CLI: ${cli.path} (${cli.source})`);
