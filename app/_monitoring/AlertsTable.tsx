import Link from 'next/link';
import { metricName } from '../_models/format';
import { type Alert, dayAndTime, duration, fullDateTime, STATE_LABELS } from './monitoring-view';

/** What an alert is about, in words: the inputs as a whole, a feature, or a metric on feedback. */
function subjectText(alert: Alert) {
  if (alert.kind === 'performance') return <>{metricName(alert.subject)} on feedback</>;
  if (alert.subject === 'dataset') return <>Inputs as a whole</>;
  return (
    <>
      Feature <code>{alert.subject}</code>
    </>
  );
}

/**
 * A model's alerts, open ones first: what drifted or degraded, since when, the retraining run the
 * alert started (with its status), and the monitoring pipeline that raised it.
 */
export function AlertsTable({ alerts, now }: { alerts: readonly Alert[]; now: number }) {
  return (
    <table className="data-table alerts-table">
      <thead>
        <tr>
          <th>State</th>
          <th>Subject</th>
          <th>Kind</th>
          <th>Opened</th>
          <th>Closed</th>
          <th>Retraining run</th>
          <th>Monitor</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((alert) => {
          const open = alert.closedAt === null;
          return (
            <tr key={alert.id} className={open ? 'alert-open' : 'alert-closed'} data-subject={alert.subject}>
              <td>
                <span className={`state-pill state-${open ? alert.state : 'closed'}`}>
                  {open ? STATE_LABELS[alert.state] : `Closed (${STATE_LABELS[alert.state].toLowerCase()})`}
                </span>
              </td>
              <td>{subjectText(alert)}</td>
              <td className="alert-kind">{alert.kind}</td>
              <td title={fullDateTime(alert.openedAt)}>
                {dayAndTime(alert.openedAt)}
                {open && (
                  <div className="muted alert-age">open for {duration(now - alert.openedAt.getTime())}</div>
                )}
              </td>
              <td title={alert.closedAt ? fullDateTime(alert.closedAt) : undefined}>
                {alert.closedAt ? dayAndTime(alert.closedAt) : <span className="muted">–</span>}
              </td>
              <td>
                {alert.retrain ? (
                  <span className="alert-run">
                    <Link
                      className="run-link"
                      href={`/pipelines/${alert.retrain.pipelineId}?run=${alert.retrain.runId}`}
                    >
                      {alert.retrain.pipelineName || 'Retraining'} · run {alert.retrain.runId.slice(0, 8)}
                    </Link>
                    <span className={`run-badge status-${alert.retrain.status}`}>{alert.retrain.status}</span>
                  </span>
                ) : (
                  <span className="muted">None started</span>
                )}
              </td>
              <td className="alert-monitor">
                <Link
                  className="run-link"
                  href={
                    alert.openedRunId
                      ? `/pipelines/${alert.pipelineId}?run=${alert.openedRunId}`
                      : `/pipelines/${alert.pipelineId}`
                  }
                  title={alert.openedRunId ? 'The monitoring run whose check opened the alert' : undefined}
                >
                  {alert.pipelineName}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
