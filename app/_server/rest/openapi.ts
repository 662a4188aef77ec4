import { z } from 'zod';
import { errorAnswerSchema } from './errors';
import type { RestOperation } from './operation';
import { runOperations } from './runs-api';

/**
 * The OpenAPI 3.1 document of the REST API, written from the operations' own zod schemas (zod 4's
 * JSON Schema output is draft 2020-12, the dialect OpenAPI 3.1 uses).
 */

export const OPENAPI_PATH = '/api/v1/openapi.json';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // unrepresentable 'any': a custom check (parameter values) describes itself through .meta().
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

const errorDescriptions: Record<number, string> = {
  400: 'Bad input: `field` names the path parameter or body field at fault',
  401: 'No credential, or an API key that is revoked, expired or mistyped',
  403: "The key's scope or its owner's role does not allow this",
  404: 'No such pipeline or run',
  500: 'An unexpected server error; `errorId` names its log line',
};

const errorRef = { $ref: '#/components/schemas/Error' };

function json(schema: unknown) {
  return { 'application/json': { schema } };
}

function operationObject(operation: RestOperation) {
  // Every operation is guarded (RestOperation.permission is never 'public'): 401 and 403 apply to all.
  const statuses = [...new Set([...operation.errorStatuses, 401, 403, 500])].sort();
  const responses: Record<string, unknown> = {
    [operation.successStatus]: {
      description: operation.summary,
      content: json(jsonSchema(operation.answer, 'output')),
    },
  };
  for (const status of statuses) {
    responses[status] = { description: errorDescriptions[status] ?? 'Error', content: json(errorRef) };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: ['runs'],
    parameters: Object.entries(operation.params.shape).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: jsonSchema(schema, 'input'),
    })),
    ...(operation.body
      ? { requestBody: { required: false, content: json(jsonSchema(operation.body, 'input')) } }
      : {}),
    responses,
  };
}

/** The document itself, for `GET /api/v1/openapi.json` (public). */
const documentOperation = {
  operationId: 'openApiDocument',
  summary: 'This OpenAPI document',
  tags: ['meta'],
  security: [],
  responses: {
    200: { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) },
    500: { description: errorDescriptions[500], content: json(errorRef) },
  },
};

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = { [OPENAPI_PATH]: { get: documentOperation } };
  for (const operation of runOperations) {
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method.toLowerCase()]: operationObject(operation),
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Pipewright REST API',
      version: '1',
      description:
        'Start, read and cancel pipeline runs from CI jobs and webhooks. Send an API key (create one on the API keys page or with `npx pipewright keys create`) as `Authorization: Bearer pw_…`. Every answer is JSON; errors are `{ "error": "…" }`.',
    },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'Pipewright API key (pw_…)',
          description:
            'An API key: `read` reads runs, `run` also starts and cancels them, `admin` does everything.',
        },
      },
      schemas: { Error: jsonSchema(errorAnswerSchema, 'output') },
    },
    paths,
  };
}

let built: ReturnType<typeof buildDocument> | undefined;

/** Built once per process: the schemas do not change while it runs. */
export function openApiDocument() {
  built ??= buildDocument();
  return built;
}
