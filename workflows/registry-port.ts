import { createHash } from 'node:crypto';
import { z } from 'zod';
import { roleSchema } from '../access/roles';
import type { Sql } from '../db/client';
import {
  findArtifactFacts,
  findProducerStep,
  findRunStarter,
  findUserRole,
  type RunStarterRow,
} from '../db/queries/registration-inputs';
import {
  ensureModel,
  findAliasedVersion,
  findLatestModelOfPipeline,
  findModelByName,
  findModelVersion,
  insertModelVersion,
  type ModelVersionRow,
  readModelFile,
  setModelAlias,
} from '../db/queries/registry';
import type { RegistryPort, RegistryVersion, RunAuthority } from '../nodes/_kit/registry-port';
import { substituteParameters } from '../pipeline/parameters';
import {
  EVALUATION_FILE,
  MODEL_FILE,
  modelSignatureSchema,
  REFERENCE_FILE,
} from '../registry/version-schema';

const metricsSchema = z.record(z.string(), z.number());
const parametersSchema = z.record(z.string(), z.unknown());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The registry port of one step (NodeContext.registry): registry queries bound to the run and step,
 * acting for the run's person. The authority is read once per step, when first asked.
 */
export function registryPort(sql: Sql, step: { runId: string; nodeId: string }): RegistryPort {
  let authority: Promise<RunAuthority> | undefined;
  const authorityOf = () => {
    authority ??= readAuthority(sql, step.runId);
    return authority;
  };
  return {
    authority: authorityOf,

    artifactFacts: async (artifactId) =>
      UUID.test(artifactId) ? findArtifactFacts(sql, artifactId) : undefined,

    async producerConfig(artifactId) {
      if (!UUID.test(artifactId)) return undefined;
      const producer = await findProducerStep(sql, artifactId);
      return producer && configOf(producer);
    },

    async registerVersion(input) {
      const { person, pipelineVersionId } = await authorityOf();
      const model = await ensureModel(sql, { name: input.modelName, ownerId: person?.userId ?? null });
      // A retried attempt of this step (even one racing the first) gets the first one's version back.
      const onnx = Buffer.from(input.onnx);
      const reference = Buffer.from(JSON.stringify(input.referenceSample));
      const evaluation =
        input.evaluation === undefined ? undefined : Buffer.from(JSON.stringify(input.evaluation));
      const written = await insertModelVersion(sql, model.id, {
        runId: step.runId,
        nodeId: step.nodeId,
        pipelineVersionId,
        task: input.task,
        algorithm: input.algorithm,
        signature: input.signature,
        labels: input.output.task === 'classification' ? input.output.labels : [],
        metrics: input.metrics,
        gates: input.gates,
        parameters: input.parameters,
        datasetSha256: input.dataset?.sha256 ?? null,
        datasetProfile: input.dataset?.profile ?? null,
        transforms: input.transforms,
        reference: input.reference,
        referenceRows: input.referenceSample.rows.length,
        createdBy: person?.userId ?? null,
        files: [
          { name: MODEL_FILE, content: onnx, sha256: sha256(onnx) },
          { name: REFERENCE_FILE, content: reference, sha256: sha256(reference) },
          ...(evaluation ? [{ name: EVALUATION_FILE, content: evaluation, sha256: sha256(evaluation) }] : []),
        ],
      });
      return { modelId: model.id, modelName: model.name, version: written.version, created: written.created };
    },

    async productionOf(modelName) {
      const model = await findModelByName(sql, modelName);
      if (!model) return undefined;
      const row = await findAliasedVersion(sql, model.id, 'production');
      return row && registryVersion(sql, model.name, row);
    },

    async findVersion(modelName, which) {
      const model = await findModelByName(sql, modelName);
      if (!model) return undefined;
      const row =
        'alias' in which
          ? await findAliasedVersion(sql, model.id, which.alias)
          : await findModelVersion(sql, model.id, which.version);
      return row && registryVersion(sql, model.name, row);
    },

    async pipelineProduction() {
      const { pipelineId } = await authorityOf();
      const model = await findLatestModelOfPipeline(sql, pipelineId);
      if (!model) return undefined;
      const row = await findAliasedVersion(sql, model.id, 'production');
      return row && registryVersion(sql, model.name, row);
    },

    async setAlias(input) {
      const model = await findModelByName(sql, input.modelName);
      if (!model) throw new Error(`No model is named ${input.modelName}`);
      const { person } = await authorityOf();
      return setModelAlias(sql, {
        modelId: model.id,
        alias: input.alias,
        version: input.version,
        by: {
          actorKind: 'run',
          actorId: person?.userId ?? null,
          actorEmail: person?.email ?? null,
          runId: step.runId,
          reason: input.reason,
        },
      });
    },
  };
}

const graphSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), config: z.record(z.string(), z.unknown()).default({}) })),
  parameters: z.array(z.object({ name: z.string(), default: z.unknown().optional() })).default([]),
});

/** A node's config from a stored graph, its parameter references replaced by the run's values. */
function configOf(producer: {
  nodeId: string;
  graph: unknown;
  parameters: unknown;
}): Record<string, unknown> | undefined {
  const graph = graphSchema.safeParse(producer.graph);
  if (!graph.success) return undefined;
  const node = graph.data.nodes.find((candidate) => candidate.id === producer.nodeId);
  if (!node) return undefined;
  const values = new Map<string, unknown>(
    graph.data.parameters.map((parameter) => [parameter.name, parameter.default]),
  );
  for (const [name, value] of Object.entries(parametersSchema.catch({}).parse(producer.parameters)))
    values.set(name, value);
  return parametersSchema.catch({}).parse(substituteParameters(node.config, values));
}

function registryVersion(sql: Sql, modelName: string, row: ModelVersionRow): RegistryVersion {
  return {
    modelName,
    version: row.version,
    task: row.task,
    signature: modelSignatureSchema.parse(row.signature),
    metrics: metricsSchema.parse(row.metrics),
    async onnx() {
      const file = await readModelFile(sql, row.id, MODEL_FILE);
      if (!file)
        throw new Error(`Version ${row.version} of ${modelName} has no ${MODEL_FILE} in the registry`);
      return new Uint8Array(file.content);
    },
  };
}

async function readAuthority(sql: Sql, runId: string): Promise<RunAuthority> {
  const run = await findRunStarter(sql, runId);
  if (!run) throw new Error(`Run ${runId} is not in the database`);
  const acting = actingUser(run);
  const user = acting.userId ? await findUserRole(sql, acting.userId) : undefined;
  const role = roleSchema.safeParse(user?.role);
  const facts = {
    runId,
    pipelineId: run.pipelineId,
    pipelineVersionId: run.pipelineVersionId,
    parameters: parametersSchema.catch({}).parse(run.parameters),
  };
  if (!acting.userId && run.startedByCli !== null)
    return {
      ...facts,
      person: { userId: null, email: `the local CLI (${run.startedByCli})`, role: 'admin' },
      via: 'local_cli',
    };
  // A deactivated account lends a run no authority: its runs may register, not promote.
  const person =
    user && role.success && !user.banned ? { userId: user.id, email: user.email, role: role.data } : null;
  return { ...facts, person, via: person ? acting.via : 'nobody' };
}

/**
 * Whose authority a run acts with. A person's run (the app, the API, the CLI) acts for whoever
 * started it. A scheduled or monitor-started run acts for the schedule's or monitor's owner.
 *
 * SEAM: schedules and monitors are not built yet. When they are, look their owner up here (by the
 * schedule or monitor id the run records). Until then such a run's started_by, which whoever starts
 * it must set to that owner, stands for the owner.
 */
function actingUser(run: RunStarterRow): { userId: string | null; via: RunAuthority['via'] } {
  switch (run.trigger) {
    case 'schedule':
      return { userId: run.startedBy, via: 'schedule_owner' };
    case 'monitor':
      return { userId: run.startedBy, via: 'monitor_owner' };
    default:
      return { userId: run.startedBy, via: 'started_by' };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
