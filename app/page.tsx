import { StatusStrip } from './_components/StatusStrip';

export default function HomePage() {
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Pipewright
        </span>
        <StatusStrip />
      </header>
      <main className="home">
        <h1>Build machine-learning pipelines by drawing them</h1>
        <p className="lead">
          Drag ingest, clean, feature, train, evaluate and deploy steps onto a canvas, connect them and press
          Run. Every run is durable: it survives restarts and resumes where it stopped.
        </p>
        <div className="empty-state">
          <h2>The editor is on its way</h2>
          <p>
            Until it lands, pipelines run with <code>npx pipewright run FILE --wait</code>. The strip at the
            top shows whether the services your pipelines run on are healthy; details are at{' '}
            <a href="/api/health">/api/health</a>.
          </p>
        </div>
      </main>
    </div>
  );
}
