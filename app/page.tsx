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
          <h2>No pipelines yet</h2>
          <p>
            The pipeline editor is on its way. The strip at the top already shows whether the services your
            pipelines run on are healthy; details are at <a href="/api/health">/api/health</a>.
          </p>
        </div>
      </main>
    </div>
  );
}
