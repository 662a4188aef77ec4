'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import type { ModelAlias } from '../../registry/version-schema';
import { FormDialog } from '../_components/FormDialog';
import { useTRPC } from '../_trpc/client';

/** What the dialog confirms: a version to promote (the alias is picked here), or an alias to roll back. */
export type AliasChange =
  | { kind: 'promote'; version: number; current: Record<ModelAlias, number | null> }
  | { kind: 'rollback'; alias: ModelAlias; from: number; to: number };

/**
 * The confirmation for moving an alias: says what will change, asks for the reason the ledger keeps,
 * and calls promote or rollback. Serving switches within seconds of the confirmation.
 */
export function AliasDialog({
  model,
  change,
  requiresApproval = false,
  onClose,
}: {
  model: string;
  change: AliasChange;
  /** The model's promotions to production wait for another operator (its Rollout tab). */
  requiresApproval?: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [alias, setAlias] = useState<ModelAlias>(change.kind === 'rollback' ? change.alias : 'production');
  const [reason, setReason] = useState('');
  const options = {
    onSuccess: (moved: {
      alias: string;
      from: number | null;
      to: number | null;
      pending?: { id: string; version: number };
    }) => {
      if (moved.pending)
        toast.info(
          `Awaiting approval: version ${moved.pending.version} of ${model} waits on the Rollout tab for another operator`,
        );
      else toast.success(`${model} ${moved.alias} is now version ${moved.to ?? 'none'}`);
      void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.rollout.pathKey() });
      onClose();
    },
    onError: (error: { message: string }) => toast.error(error.message),
  };
  const promote = useMutation(trpc.models.promote.mutationOptions(options));
  const rollback = useMutation(trpc.models.rollback.mutationOptions(options));
  const pending = promote.isPending || rollback.isPending;
  const holder = change.kind === 'promote' ? change.current[alias] : null;
  const already = change.kind === 'promote' && holder === change.version;
  // A rollback never waits: it returns production to a version that held it before.
  const awaitsApproval = requiresApproval && change.kind === 'promote' && alias === 'production';
  const title =
    change.kind === 'promote'
      ? `Promote version ${change.version}`
      : `Roll ${change.alias} back to version ${change.to}`;

  const confirm = () => {
    if (change.kind === 'promote') promote.mutate({ name: model, version: change.version, alias, reason });
    else rollback.mutate({ name: model, alias: change.alias, reason });
  };

  return (
    <FormDialog
      titleId="alias-dialog-title"
      title={title}
      look="confirm"
      onSubmit={() => {
        if (reason.trim() !== '' && !already) confirm();
      }}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || reason.trim() === '' || already}>
            {change.kind === 'rollback'
              ? 'Roll back'
              : awaitsApproval
                ? 'Ask for approval'
                : `Promote to ${alias}`}
          </button>
        </>
      }
    >
      {change.kind === 'promote' ? (
        <fieldset className="alias-choice">
          <legend>Alias</legend>
          {(['production', 'staging'] as const).map((each) => (
            <label key={each}>
              <input
                type="radio"
                name="alias"
                value={each}
                checked={alias === each}
                onChange={() => setAlias(each)}
              />
              {each}
              <span className="muted">
                {change.current[each] === null ? ' (unset)' : ` (now version ${change.current[each]})`}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <p className="confirm-summary">
        {change.kind === 'rollback'
          ? `${model} ${change.alias} goes from version ${change.from} back to version ${change.to}.`
          : already
            ? `Version ${change.version} is already ${model}'s ${alias} version.`
            : `${model} ${alias} goes from ${holder === null ? 'no version' : `version ${holder}`} to version ${change.version}.`}{' '}
        {awaitsApproval && !already
          ? `${model} requires approval: the promotion waits on the Rollout tab until another operator approves it.`
          : alias === 'production' && !already
            ? 'Every serving process switches within seconds; requests in flight finish on the old version.'
            : ''}
      </p>
      <label className="confirm-reason">
        <span>
          Reason <span className="muted">(kept in the ledger)</span>
        </span>
        <textarea
          required
          rows={3}
          maxLength={500}
          value={reason}
          placeholder="Why this change?"
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
    </FormDialog>
  );
}
