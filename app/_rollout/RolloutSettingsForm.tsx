'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import {
  CANARY_PERCENT_RANGE,
  MODE_TITLES,
  ROLLOUT_MODES,
  type RolloutSettingsInput,
} from '../../registry/rollout-schema';
import { useViewer } from '../_account/use-viewer';
import { useTRPC } from '../_trpc/client';

/**
 * The rollout settings: off, shadow or canary (with its share), and whether a promotion to
 * production waits for an operator's approval. Operators change them; others see them read-only,
 * with the reason in the Save button's tooltip.
 */
export function RolloutSettingsForm({
  name,
  aliases,
}: {
  name: string;
  aliases: { production: number | null; staging: number | null };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { may, whyNot } = useViewer();
  const stored = useQuery(trpc.rollout.settings.queryOptions({ name }));
  const [draft, setDraft] = useState<RolloutSettingsInput>();
  useEffect(() => {
    if (stored.data) setDraft(stored.data);
  }, [stored.data]);
  const save = useMutation(
    trpc.rollout.saveSettings.mutationOptions({
      onSuccess: () => {
        toast.success(`Saved ${name}'s rollout: serving processes pick it up within seconds`);
        void queryClient.invalidateQueries({ queryKey: trpc.rollout.pathKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  if (stored.error) return <p className="error-text">{stored.error.message}</p>;
  if (!draft || !stored.data) return <p className="muted">Loading the rollout settings…</p>;
  const mayChange = may('promote');
  const changed = JSON.stringify(draft) !== JSON.stringify(stored.data);
  const noStaging = aliases.staging === null && draft.mode !== 'none';
  const percentValid =
    Number.isInteger(draft.canaryPercent) &&
    draft.canaryPercent >= CANARY_PERCENT_RANGE.min &&
    draft.canaryPercent <= CANARY_PERCENT_RANGE.max;

  return (
    <section className="panel" aria-labelledby="rollout-settings-heading">
      <div className="chart-head">
        <h2 id="rollout-settings-heading">Traffic to staging</h2>
        <span className="muted panel-note">
          Production {aliases.production === null ? 'is unset' : `is v${aliases.production}`}; staging{' '}
          {aliases.staging === null ? 'is unset' : `is v${aliases.staging}`}.
        </span>
      </div>
      <form
        className="rollout-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (percentValid) save.mutate({ name, settings: draft });
        }}
      >
        <fieldset className="rollout-modes" disabled={!mayChange}>
          <legend className="visually-hidden">Rollout mode</legend>
          {ROLLOUT_MODES.map((mode) => (
            <label key={mode} className={`rollout-mode${draft.mode === mode ? ' is-chosen' : ''}`}>
              <input
                type="radio"
                name="rollout-mode"
                value={mode}
                checked={draft.mode === mode}
                onChange={() => setDraft({ ...draft, mode })}
              />
              <span>{MODE_TITLES[mode]}</span>
            </label>
          ))}
        </fieldset>
        {draft.mode === 'canary' && (
          <label className="rollout-percent">
            <span>Share of production requests answered by staging</span>
            <span className="rollout-percent-input">
              <input
                type="number"
                min={CANARY_PERCENT_RANGE.min}
                max={CANARY_PERCENT_RANGE.max}
                step={1}
                disabled={!mayChange}
                aria-invalid={!percentValid}
                value={Number.isNaN(draft.canaryPercent) ? '' : draft.canaryPercent}
                onChange={(event) => setDraft({ ...draft, canaryPercent: event.target.valueAsNumber })}
              />
              %
            </span>
            {!percentValid && (
              <span className="error-text">
                The share is a whole number from {CANARY_PERCENT_RANGE.min} to {CANARY_PERCENT_RANGE.max} %.
              </span>
            )}
          </label>
        )}
        {noStaging && (
          <p className="rollout-note">
            No version is in staging: production answers every request until one is promoted to staging.
          </p>
        )}
        <label className="rollout-approval">
          <input
            type="checkbox"
            disabled={!mayChange}
            checked={draft.requiresApproval}
            onChange={(event) => setDraft({ ...draft, requiresApproval: event.target.checked })}
          />
          <span>
            Promotion to production requires approval
            <span className="muted">
              {' '}
              — from the app, the CLI, a deploy step or a retraining run, a promotion waits below until
              another operator approves it. Rollbacks do not wait.
            </span>
          </span>
        </label>
        <div className="rollout-actions">
          <button
            type="submit"
            disabled={!mayChange || !changed || !percentValid || save.isPending}
            title={whyNot('promote')}
          >
            Save rollout
          </button>
          {changed && mayChange && (
            <button type="button" className="secondary" onClick={() => setDraft(stored.data)}>
              Discard changes
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
