import { MODEL_ALIASES, type ModelAlias } from '../registry/version-schema';
import type { VersionSelector } from './model-cache';

/**
 * Serving's routes, matched by hand (a router would cost more than the six routes it matches):
 * - POST /api/v1/models/{name}/predict[?alias=production|staging]
 * - POST /api/v1/models/{name}/feedback
 * - POST /api/v1/models/{name}/versions/{n}/predict
 * - GET  /api/v1/models/{name}/openapi.json[?alias=…|?version=n]
 * - GET  /metrics, GET /health
 */
export type Route =
  | { kind: 'health' }
  | { kind: 'metrics' }
  | { kind: 'predict'; name: string; selector: VersionSelector }
  | { kind: 'openapi'; name: string; selector: VersionSelector }
  | { kind: 'feedback'; name: string }
  | { kind: 'refused'; status: 400 | 404 | 405; message: string; allow: string };

const PREFIX = '/api/v1/models/';
/** Version numbers fit PostgreSQL's integer. */
const MAX_VERSION = 2_147_483_647;

export function routeOf(method: string, url: string): Route {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const params = new URLSearchParams(query < 0 ? '' : url.slice(query + 1));
  if (path === '/health') return only(method, 'GET', { kind: 'health' });
  if (path === '/metrics') return only(method, 'GET', { kind: 'metrics' });
  if (!path.startsWith(PREFIX)) return notFound();
  const parts = path.slice(PREFIX.length).split('/');
  const name = decode(parts[0] ?? '');
  // A NUL (%00) can be in no model's name, and PostgreSQL refuses it in a query.
  if (name === undefined || name === '' || name.includes('\0')) return notFound();
  if (parts.length === 2 && parts[1] === 'predict') {
    const selector = aliasOf(params);
    return typeof selector === 'string'
      ? bad(selector)
      : only(method, 'POST', { kind: 'predict', name, selector });
  }
  if (parts.length === 2 && parts[1] === 'feedback') return only(method, 'POST', { kind: 'feedback', name });
  if (parts.length === 4 && parts[1] === 'versions' && parts[3] === 'predict') {
    const version = versionOf(parts[2] ?? '');
    if (version === undefined) return bad('The version in the path must be a whole number from 1');
    return only(method, 'POST', { kind: 'predict', name, selector: { version } });
  }
  if (parts.length === 2 && parts[1] === 'openapi.json') {
    const number = params.get('version');
    if (number !== null) {
      const version = versionOf(number);
      if (version === undefined) return bad('version must be a whole number from 1');
      return only(method, 'GET', { kind: 'openapi', name, selector: { version } });
    }
    const selector = aliasOf(params);
    return typeof selector === 'string'
      ? bad(selector)
      : only(method, 'GET', { kind: 'openapi', name, selector });
  }
  return notFound();
}

function only(method: string, allowed: string, route: Route): Route {
  if (method === allowed) return route;
  return {
    kind: 'refused',
    status: 405,
    message: `This path takes ${allowed}, not ${method.slice(0, 10)}`,
    allow: allowed,
  };
}

function notFound(): Route {
  return { kind: 'refused', status: 404, message: 'No such path', allow: '' };
}

function bad(message: string): Route {
  return { kind: 'refused', status: 400, message, allow: '' };
}

function aliasOf(params: URLSearchParams): VersionSelector | string {
  const alias = params.get('alias');
  if (alias === null) return { alias: 'production' };
  const known = MODEL_ALIASES.find((name): name is ModelAlias => name === alias);
  return known ? { alias: known } : 'alias must be production or staging';
}

function versionOf(text: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const version = Number(text);
  return version <= MAX_VERSION ? version : undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
