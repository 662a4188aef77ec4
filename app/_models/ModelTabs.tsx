'use client';

import type { KeyboardEvent } from 'react';
import { openAlertsText } from '../_monitoring/monitoring-view';
import type { ModelTab } from './model-tab';

export type { ModelTab } from './model-tab';

const TABS: ReadonlyArray<{ id: ModelTab; label: string }> = [
  { id: 'overview', label: 'Overview' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'compare', label: 'Compare versions' },
  { id: 'rollout', label: 'Rollout' },
];

/**
 * The model page's tabs. The choice goes into the address (?tab=monitoring, ?tab=compare,
 * ?tab=rollout) without a navigation, so a reload or a shared link opens the same tab; the
 * Monitoring tab shows the open alerts' count, the Rollout tab the promotions waiting for approval.
 */
export function ModelTabs({
  tab,
  onTab,
  openAlerts,
  alerting,
  pendingPromotions = 0,
}: {
  tab: ModelTab;
  onTab: (tab: ModelTab) => void;
  openAlerts: number;
  alerting: boolean;
  pendingPromotions?: number;
}) {
  const choose = (next: ModelTab) => {
    onTab(next);
    const url = new URL(window.location.href);
    if (next === 'overview') url.searchParams.delete('tab');
    else url.searchParams.set('tab', next);
    // The compared versions belong to the Compare tab; another tab's address does not keep them.
    if (next !== 'compare') {
      url.searchParams.delete('a');
      url.searchParams.delete('b');
    }
    window.history.replaceState(window.history.state, '', url);
  };
  const counted = (id: ModelTab) => id === 'monitoring' && openAlerts > 0;
  const pending = (id: ModelTab) => id === 'rollout' && pendingPromotions > 0;
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const index = TABS.findIndex((item) => item.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
    const next = TABS[(index + step) % TABS.length]?.id ?? 'overview';
    choose(next);
    document.getElementById(`model-tab-${next}`)?.focus();
  };
  return (
    <div className="model-tabs" role="tablist" aria-label="Model view" onKeyDown={onKey}>
      {TABS.map((item) => (
        <button
          key={item.id}
          id={`model-tab-${item.id}`}
          type="button"
          role="tab"
          aria-selected={tab === item.id}
          aria-controls={`model-panel-${item.id}`}
          tabIndex={tab === item.id ? 0 : -1}
          className={tab === item.id ? 'is-active' : undefined}
          // The count is read out in words: "Monitoring, 3 open alerts".
          aria-label={
            counted(item.id)
              ? `${item.label}, ${openAlertsText(openAlerts)}`
              : pending(item.id)
                ? `${item.label}, ${pendingPromotions} pending promotion${pendingPromotions === 1 ? '' : 's'}`
                : undefined
          }
          onClick={() => choose(item.id)}
        >
          {item.label}
          {counted(item.id) && (
            <span
              className={`tab-count ${alerting ? 'tab-count-alert' : 'tab-count-warn'}`}
              aria-hidden="true"
            >
              {openAlerts}
            </span>
          )}
          {pending(item.id) && (
            <span className="tab-count tab-count-warn" aria-hidden="true">
              {pendingPromotions}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
