import type { ModelSignature, SignatureColumn } from '../registry/version-schema';
import { MAX_ROWS } from './request-rows';

/**
 * The OpenAPI 3.1 document of one model's prediction endpoints, generated from the signature of
 * the version the document is asked for (production unless ?alias= or ?version= says otherwise).
 */
export function modelOpenApi(input: {
  name: string;
  version: number;
  signature: ModelSignature;
  serverUrl?: string;
}): Record<string, unknown> {
  const { name, version, signature } = input;
  const path = `/api/v1/models/${encodeURIComponent(name)}`;
  const predict = (summary: string, parameters: unknown[]) => ({
    summary,
    security: [{ bearer: [] }],
    parameters,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictRequest' } } },
    },
    responses: {
      '200': {
        description:
          'Predictions, one per row. A "rows" body gets Pipewright\'s answer; an MLflow body gets {"predictions": […]}.',
        headers: {
          'X-Model-Version': { schema: { type: 'integer' }, description: 'The version that answered' },
          'X-Request-Id': {
            schema: { type: 'string' },
            description: 'The request id, as the prediction log keeps it',
          },
        },
        content: {
          'application/json': {
            schema: {
              oneOf: [
                { $ref: '#/components/schemas/PredictResponse' },
                { $ref: '#/components/schemas/MlflowResponse' },
              ],
            },
          },
        },
      },
      '400': errorResponse(
        'The body is not valid JSON, or the rows do not match the signature (listed by row and column)',
      ),
      '401': errorResponse('No valid API key'),
      '403': errorResponse('The key may not ask this model for predictions'),
      '404': errorResponse('No such model, or no version under that alias or number'),
      '413': errorResponse('The body is too large'),
      '503': errorResponse('The version cannot be loaded right now'),
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: `${name} predictions`,
      version: String(version),
      description: `Generated from the signature of version ${version} of model "${name}". Send rows as a list of records; MLflow's /invocations bodies are accepted too. At most ${MAX_ROWS} rows per request.`,
    },
    ...(input.serverUrl ? { servers: [{ url: input.serverUrl }] } : {}),
    paths: {
      [`${path}/predict`]: {
        post: predict('Predict with the production version (or the alias given)', [
          {
            name: 'alias',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['production', 'staging'], default: 'production' },
          },
        ]),
      },
      [`${path}/versions/{version}/predict`]: {
        post: predict('Predict with one version', [
          { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        ]),
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key with the predict scope' },
      },
      schemas: {
        Row: rowSchema(signature),
        PredictRequest: {
          oneOf: [
            objectWith('rows', { type: 'array', items: { $ref: '#/components/schemas/Row' }, minItems: 1 }),
            objectWith('dataframe_records', { type: 'array', items: { $ref: '#/components/schemas/Row' } }),
            objectWith('dataframe_split', {
              type: 'object',
              required: ['columns', 'data'],
              properties: {
                columns: { type: 'array', items: { type: 'string' } },
                data: { type: 'array', items: { type: 'array' } },
              },
            }),
            objectWith('instances', {
              description: `Records, or lists of values in this order: ${signature.inputs.map((column) => column.name).join(', ')}`,
              type: 'array',
              items: { oneOf: [{ $ref: '#/components/schemas/Row' }, { type: 'array' }] },
            }),
            objectWith('inputs', {
              description: 'Records, lists of values in signature order, or {"column": [values…]}',
              oneOf: [
                {
                  type: 'array',
                  items: { oneOf: [{ $ref: '#/components/schemas/Row' }, { type: 'array' }] },
                },
                { type: 'object', additionalProperties: { type: 'array' } },
              ],
            }),
          ],
        },
        PredictResponse: {
          type: 'object',
          required: ['model', 'version', 'requestId', 'predictions'],
          properties: {
            model: { type: 'string' },
            version: { type: 'integer' },
            requestId: { type: 'string', format: 'uuid' },
            predictions: { type: 'array', items: predictionSchema(signature) },
            ignoredColumns: {
              type: 'array',
              items: { type: 'string' },
              description: 'Request columns the model does not take',
            },
          },
        },
        MlflowResponse: {
          type: 'object',
          required: ['predictions'],
          properties: {
            predictions: {
              type: 'array',
              items: signature.output.task === 'classification' ? labelSchema(signature) : { type: 'number' },
            },
          },
        },
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      },
    },
  };
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function objectWith(key: string, schema: Record<string, unknown>) {
  return {
    type: 'object',
    required: [key],
    properties: { [key]: schema, params: { type: 'object', description: "MLflow's params: ignored" } },
  };
}

function rowSchema(signature: ModelSignature): Record<string, unknown> {
  return {
    type: 'object',
    required: signature.inputs.map((column) => column.name),
    properties: Object.fromEntries(signature.inputs.map((column) => [column.name, columnSchema(column)])),
    additionalProperties: { description: 'Ignored; the answer lists it under ignoredColumns' },
  };
}

function columnSchema(column: SignatureColumn): Record<string, unknown> {
  const type = column.type === 'string' ? 'string' : column.type;
  const schema: Record<string, unknown> = { type: column.nullable ? [type, 'null'] : type };
  if (column.categories) {
    if (column.unknownCategories === 'reject')
      schema.enum = column.nullable ? [...column.categories, null] : column.categories;
    else schema.examples = column.categories.slice(0, 20);
  }
  return schema;
}

function labelSchema(signature: ModelSignature): Record<string, unknown> {
  const labels = signature.output.task === 'classification' ? signature.output.labels : [];
  return { enum: labels };
}

function predictionSchema(signature: ModelSignature): Record<string, unknown> {
  const id = { type: 'string', format: 'uuid', description: 'The prediction id; feedback refers to it' };
  if (signature.output.task === 'regression')
    return { type: 'object', required: ['id', 'value'], properties: { id, value: { type: 'number' } } };
  return {
    type: 'object',
    required: ['id', 'label', 'probabilities'],
    properties: {
      id,
      label: labelSchema(signature),
      probabilities: {
        type: 'object',
        properties: Object.fromEntries(
          signature.output.labels.map((label) => [String(label), { type: 'number' }]),
        ),
      },
    },
  };
}
