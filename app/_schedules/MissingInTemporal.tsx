/**
 * Said of a schedule whose row has no Temporal schedule behind it (it does not fire): the worker
 * recreates it from the database when it next starts. The Schedules page and the editor's panel
 * say it alike.
 */
export function MissingInTemporal() {
  return (
    <div className="error-text schedule-sub" title="Recreated from the database when the worker next starts">
      Missing in Temporal
    </div>
  );
}
