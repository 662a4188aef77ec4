import { PipelineList } from './_components/PipelineList';
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
      <PipelineList />
    </div>
  );
}
