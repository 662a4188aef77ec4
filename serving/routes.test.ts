import { describe, expect, it } from 'vitest';
import { routeOf } from './routes';

describe('serving routes', () => {
  it('matches predict, versions, openapi, metrics and health', () => {
    expect(routeOf('POST', '/api/v1/models/churn/predict')).toEqual({
      kind: 'predict',
      name: 'churn',
      selector: { alias: 'production' },
    });
    expect(routeOf('POST', '/api/v1/models/churn/predict?alias=staging&x=1')).toMatchObject({
      selector: { alias: 'staging' },
    });
    expect(routeOf('POST', '/api/v1/models/churn/versions/12/predict')).toMatchObject({
      selector: { version: 12 },
    });
    expect(routeOf('GET', '/api/v1/models/my%20model/openapi.json?version=3')).toEqual({
      kind: 'openapi',
      name: 'my model',
      selector: { version: 3 },
    });
    expect(routeOf('POST', '/api/v1/models/Churn.v2/feedback?x=1')).toEqual({
      kind: 'feedback',
      name: 'Churn.v2',
    });
    expect(routeOf('GET', '/metrics')).toEqual({ kind: 'metrics' });
    expect(routeOf('GET', '/health?probe=1')).toEqual({ kind: 'health' });
  });

  it('refuses other paths, methods, aliases and version numbers with a sentence', () => {
    expect(routeOf('GET', '/api/v1/models/churn/predict')).toMatchObject({ status: 405, allow: 'POST' });
    expect(routeOf('DELETE', '/metrics')).toMatchObject({ status: 405, allow: 'GET' });
    expect(routeOf('GET', '/api/v1/models/churn/feedback')).toMatchObject({ status: 405, allow: 'POST' });
    expect(routeOf('POST', '/api/v1/models/churn/versions/2/feedback')).toMatchObject({ status: 404 });
    for (const path of [
      '/',
      '/api/v1/models/',
      '/api/v1/models//predict',
      '/api/v1/models/a/b/predict',
      '/api/v1/models/%E0/predict',
      '/api/v1/models/churn%00/predict',
      '/api/v1/models//feedback',
      '/api/v1/models/churn/feedback/1',
    ])
      expect([path, routeOf('POST', path)]).toMatchObject([path, { status: 404 }]);
    expect(routeOf('POST', '/api/v1/models/churn/predict?alias=canary')).toMatchObject({
      status: 400,
      message: 'alias must be production or staging',
    });
    for (const version of ['0', '-1', '1.5', '01', 'x', '99999999999'])
      expect(routeOf('POST', `/api/v1/models/churn/versions/${version}/predict`)).toMatchObject({
        status: 400,
      });
  });
});
