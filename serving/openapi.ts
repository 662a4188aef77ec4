import type { ModelSignature, SignatureColumn } from '../registry/version-schema';
import { MAX_UNKNOWN_LISTED } from './feedback';
import { MAX_FEEDBACK_ITEMS } from './feedback-body';
import { MAX_ROWS } from './request-rows';

/**
 * The OpenAPI 3.1 document of one model's prediction and feedback endpoints, generated from the signature of
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
          'X-Model-Alias': {
            schema: { type: 'string', enum: ['production', 'staging'] },
            description:
              'For a production request: which alias answered (staging while a canary rollout takes a share). A request sent with its own X-Request-Id header always lands on the same side of a canary.',
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
      [`${path}/feedback`]: { post: feedbackOperation() },
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
        ...feedbackSchemas(signature),
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      },
    },
  };
}

function feedbackOperation() {
  return {
    summary: 'Send the true labels (or values) of earlier predictions',
    description:
      'Labels may come days later; a label sent again for the same prediction replaces the earlier one. Prediction ids the log does not hold for this model are listed back under `unknown`, and the rest are stored. A label that does not fit the version that made its prediction refuses the whole request, naming its field.',
    security: [{ bearer: [] }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackRequest' } } },
    },
    responses: {
      '200': {
        description: 'How many labels were stored, and the ids not found',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackResponse' } } },
      },
      '400': errorResponse('The body is not valid JSON, or an item or label is wrong (listed by field)'),
      '401': errorResponse('No valid API key'),
      '403': errorResponse('The key may not send feedback for this model'),
      '404': errorResponse('No such model'),
      '413': errorResponse('The body is too large'),
      '503': errorResponse('The database is unavailable; nothing was stored'),
    },
  };
}

function feedbackSchemas(signature: ModelSignature): Record<string, unknown> {
  const label =
    signature.output.task === 'regression'
      ? { type: 'number', description: 'The true value' }
      : signature.output.labels.length > 0
        ? { ...labelSchema(signature), description: 'The true class' }
        : { type: ['string', 'number', 'boolean'], description: 'The true class' };
  const item = {
    type: 'object',
    required: ['predictionId', 'label'],
    properties: {
      predictionId: { type: 'string', format: 'uuid', description: 'The id a prediction answer gave' },
      label,
    },
  };
  return {
    FeedbackItem: item,
    FeedbackRequest: {
      oneOf: [
        {
          type: 'object',
          required: ['feedback'],
          properties: {
            feedback: {
              type: 'array',
              items: { $ref: '#/components/schemas/FeedbackItem' },
              minItems: 1,
              maxItems: MAX_FEEDBACK_ITEMS,
            },
          },
        },
        { $ref: '#/components/schemas/FeedbackItem' },
      ],
    },
    FeedbackResponse: {
      type: 'object',
      required: ['model', 'accepted', 'unknown', 'unknownCount'],
      properties: {
        model: { type: 'string' },
        accepted: { type: 'integer', description: 'Predictions whose label was stored' },
        unknown: {
          type: 'array',
          items: { type: 'string', format: 'uuid' },
          maxItems: MAX_UNKNOWN_LISTED,
          description: `Ids the prediction log does not hold for this model (the first ${MAX_UNKNOWN_LISTED})`,
        },
        unknownCount: { type: 'integer', description: 'How many ids were not found' },
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
