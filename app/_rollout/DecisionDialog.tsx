'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { FormDialog } from '../_components/FormDialog';
import { useTRPC } from '../_trpc/client';
import type { PromotionRequestItem } from './PromotionRequests';

/** Confirms approving (reason optional) or rejecting (reason required) a pending promotion. */
export function DecisionDialog({
  name,
  item,
  decision,
  onClose,
}: {
  name: string;
  item: PromotionRequestItem;
  decision: 'approve' | 'reject';
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation(
    trpc.rollout.decide.mutationOptions({
      onSuccess: (done) => {
        toast.success(
          done.status === 'approved'
            ? `Approved: ${name} production is now version ${done.to}`
            : `Rejected: ${name} production stays ${done.from === null ? 'unset' : `version ${done.from}`}`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.rollout.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        onClose();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const needsReason = decision === 'reject';
  const ready = !needsReason || reason.trim() !== '';
  return (
    <FormDialog
      titleId="decision-dialog-title"
      title={
        decision === 'approve'
          ? `Approve version ${item.version} for production`
          : `Reject version ${item.version}`
      }
      look="confirm"
      onSubmit={() => {
        if (ready) decide.mutate({ name, requestId: item.id, decision, reason });
      }}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={!ready || decide.isPending}>
            {decision === 'approve' ? 'Approve and promote' : 'Reject'}
          </button>
        </>
      }
    >
      <p className="confirm-summary">
        {decision === 'approve'
          ? `${name} production goes from ${item.fromVersion === null ? 'no version' : `version ${item.fromVersion}`} to version ${item.version}, as ${item.requestedBy} asked. Every serving process switches within seconds.`
          : `${name} production stays where it is. ${item.requestedBy} reads your reason in the ledger.`}
      </p>
      {item.reason && (
        <p className="muted">
          Their reason: <q>{item.reason}</q>
        </p>
      )}
      <label className="confirm-reason">
        <span>
          Reason{' '}
          <span className="muted">
            {needsReason ? '(required, kept in the ledger)' : '(optional, kept in the ledger)'}
          </span>
        </span>
        <textarea
          required={needsReason}
          rows={3}
          maxLength={500}
          value={reason}
          placeholder={needsReason ? 'Why not?' : 'Anything to note?'}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
    </FormDialog>
  );
}
