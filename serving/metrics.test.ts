import { describe, expect, it } from 'vitest';
import { createServingMetrics, OTHER_MODELS } from './metrics';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text page: `name{a="1",b="2"} value` per line, comments skipped. */
function parse(body: string): Sample[] {
  return body
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[pair[1] ?? ''] = pair[2] ?? '';
      }
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

describe('serving metrics', () => {
  it('counts requests and errors per model, version and status, with latency histograms per version', async () => {
    const metrics = createServingMetrics();
    metrics.observe({ model: 'churn', version: 3, status: 200, seconds: 0.0004 });
    metrics.observe({ model: 'churn', version: 3, status: 200, seconds: 0.002 });
    metrics.observe({ model: 'churn', version: 3, status: 400, seconds: 0.0001 });
    metrics.observe({ model: 'churn', version: 4, status: 200, seconds: 0.3 });
    metrics.observe({ model: 'nope', version: null, status: 404, seconds: 0.00005 });

    const page = await metrics.render();
    expect(page.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parse(page.body);
    const requests = 'pipewright_serving_requests_total';
    expect(sampleValue(samples, requests, { model: 'churn', version: '3', status: '200' })).toBe(2);
    expect(sampleValue(samples, requests, { model: 'churn', version: '3', status: '400' })).toBe(1);
    expect(sampleValue(samples, requests, { model: 'churn', version: '4', status: '200' })).toBe(1);
    expect(sampleValue(samples, requests, { model: 'nope', version: 'none', status: '404' })).toBe(1);
    const errors = 'pipewright_serving_errors_total';
    expect(sampleValue(samples, errors, { model: 'churn', version: '3', status: '400' })).toBe(1);
    expect(sampleValue(samples, errors, { model: 'nope', version: 'none', status: '404' })).toBe(1);
    expect(samples.filter((sample) => sample.name === errors)).toHaveLength(2);

    const buckets = 'pipewright_serving_request_duration_seconds_bucket';
    const v3 = { model: 'churn', version: '3' };
    expect(sampleValue(samples, buckets, { ...v3, le: '0.0001' })).toBe(1);
    expect(sampleValue(samples, buckets, { ...v3, le: '0.0005' })).toBe(2);
    expect(sampleValue(samples, buckets, { ...v3, le: '0.0025' })).toBe(3);
    expect(sampleValue(samples, buckets, { ...v3, le: '+Inf' })).toBe(3);
    expect(sampleValue(samples, 'pipewright_serving_request_duration_seconds_count', v3)).toBe(3);
    expect(sampleValue(samples, 'pipewright_serving_request_duration_seconds_sum', v3)).toBeCloseTo(
      0.0025,
      6,
    );
    const v4 = { model: 'churn', version: '4' };
    expect(sampleValue(samples, buckets, { ...v4, le: '0.25' })).toBe(0);
    expect(sampleValue(samples, buckets, { ...v4, le: '0.5' })).toBe(1);
    // Default process metrics are there too. The CPU counter counts from the metric set's creation
    // and may still be 0 on a busy machine whose CPU accounting goes by clock ticks.
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts feedback requests by status and their items as accepted or unknown', async () => {
    const metrics = createServingMetrics();
    metrics.observeFeedback({ model: 'churn', status: 200, accepted: 3, unknown: 1 });
    metrics.observeFeedback({ model: 'churn', status: 200, accepted: 2, unknown: 0 });
    metrics.observeFeedback({ model: 'churn', status: 400, accepted: 0, unknown: 0 });
    const samples = parse((await metrics.render()).body);
    const requests = 'pipewright_feedback_requests_total';
    expect(sampleValue(samples, requests, { model: 'churn', status: '200' })).toBe(2);
    expect(sampleValue(samples, requests, { model: 'churn', status: '400' })).toBe(1);
    const items = 'pipewright_feedback_items_total';
    expect(sampleValue(samples, items, { model: 'churn', outcome: 'accepted' })).toBe(5);
    expect(sampleValue(samples, items, { model: 'churn', outcome: 'unknown' })).toBe(1);
    // Feedback is not a prediction: the prediction counters stay empty.
    expect(sampleValue(samples, 'pipewright_serving_requests_total')).toBeUndefined();
  });

  it("reads the prediction log's queue depth and dropped records at each scrape", async () => {
    const recorder = { queued: 7, lost: 0, depth: () => recorder.queued, dropped: () => recorder.lost };
    const metrics = createServingMetrics({ recorder });
    let samples = parse((await metrics.render()).body);
    expect(sampleValue(samples, 'pipewright_prediction_log_queue_depth')).toBe(7);
    expect(sampleValue(samples, 'pipewright_prediction_log_dropped_total')).toBe(0);

    recorder.queued = 0;
    recorder.lost = 12;
    samples = parse((await metrics.render()).body);
    expect(sampleValue(samples, 'pipewright_prediction_log_queue_depth')).toBe(0);
    expect(sampleValue(samples, 'pipewright_prediction_log_dropped_total')).toBe(12);
    recorder.lost = 15;
    samples = parse((await metrics.render()).body);
    expect(sampleValue(samples, 'pipewright_prediction_log_dropped_total')).toBe(15);
  });

  it('keeps two metric sets apart (a registry each) and bounds the number of model names', async () => {
    const first = createServingMetrics({ maxModels: 2 });
    const second = createServingMetrics();
    for (const model of ['a', 'b', 'c', 'd', 'a'])
      first.observe({ model, version: 1, status: 200, seconds: 0.001 });
    const samples = parse((await first.render()).body);
    const requests = 'pipewright_serving_requests_total';
    expect(sampleValue(samples, requests, { model: 'a' })).toBe(2);
    expect(sampleValue(samples, requests, { model: 'b' })).toBe(1);
    expect(sampleValue(samples, requests, { model: OTHER_MODELS })).toBe(2);
    expect(sampleValue(samples, requests, { model: 'c' })).toBeUndefined();
    expect(sampleValue(parse((await second.render()).body), requests)).toBeUndefined();
  });
});
