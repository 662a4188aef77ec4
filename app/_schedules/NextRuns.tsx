import { needsSeconds, runTime } from './format';

/** A schedule's next run times, in the viewer's time zone (with seconds where the times need them). */
export function NextRuns({ times }: { times: Date[] }) {
  const seconds = needsSeconds(times);
  return (
    <ol className="next-runs" aria-label="Next runs">
      {times.map((time) => (
        <li key={time.toISOString()}>
          <time dateTime={time.toISOString()}>{runTime(time, seconds)}</time>
        </li>
      ))}
    </ol>
  );
}
