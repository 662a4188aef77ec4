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
            The visual editor is on its way. Until then, pipelines run from the command line with{' '}
            <code>npx pipewright run FILE --wait</code>.
          </p>
        </div>
      </main>
    </div>
  );
}
