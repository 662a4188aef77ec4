'use client';

/** The title of a side panel with its close button. */
export function PanelHeader({
  title,
  closeLabel,
  onClose,
}: {
  title: string;
  closeLabel: string;
  onClose: () => void;
}) {
  return (
    <header className="details-head">
      <h2>{title}</h2>
      <button type="button" className="icon-button" onClick={onClose} aria-label={closeLabel} title="Close">
        ×
      </button>
    </header>
  );
}
