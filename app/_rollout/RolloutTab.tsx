'use client';

import { PromotionRequests } from './PromotionRequests';
import { RolloutSettingsForm } from './RolloutSettingsForm';
import { SideBySide } from './SideBySide';
import './rollout.css';

/**
 * A model's Rollout tab: how staging takes part in production traffic (shadow or canary) and
 * whether promotions to production wait for approval; the promotions waiting, to approve or
 * reject; and production and staging side by side on the traffic each answered.
 */
export function RolloutTab({
  name,
  aliases,
}: {
  name: string;
  aliases: { production: number | null; staging: number | null };
}) {
  return (
    <div className="rollout">
      <RolloutSettingsForm name={name} aliases={aliases} />
      <PromotionRequests name={name} />
      <SideBySide name={name} />
    </div>
  );
}
