/**
 * The serving benchmark's load generator, run by serve-load.ts as its own process pinned to its
 * own core: autocannon with the request given as JSON in argv[2]. It prints one JSON line: the
 * answered requests per second and latency percentiles in fractions of a millisecond, taken from
 * every 2xx answer's own time (autocannon's summary histogram counts whole milliseconds only, too
 * coarse for a goal of 5 ms), next to autocannon's own p99 (corrected for coordinated omission at a
 * fixed rate). Plain JavaScript: autocannon ships no types.
 */
import autocannon from 'autocannon';

const request = JSON.parse(process.argv[2] ?? '{}');
const times = [];

const instance = autocannon(
  {
    url: request.url,
    method: 'POST',
    body: request.body,
    headers: request.headers,
    connections: request.connections,
    duration: request.seconds,
    ...(request.rate ? { overallRate: request.rate } : {}),
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    times.sort((a, b) => a - b);
    const at = (fraction) =>
      times[Math.min(times.length - 1, Math.max(0, Math.ceil(fraction * times.length) - 1))] ?? null;
    process.stdout.write(
      `${JSON.stringify({
        seconds: result.duration,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: at(1),
        autocannonP99: result.latency.p99,
      })}\n`,
    );
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
});
