import Link from 'next/link';

/**
 * The way out of an empty Runs, Models or Schedules page: everything on them starts from a pipeline.
 */
export function OpenPipelinesLink() {
  return (
    <Link className="secondary-link" href="/">
      Open the pipelines
    </Link>
  );
}
