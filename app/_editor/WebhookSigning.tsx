'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';

/**
 * A webhook's signing secret, for its receiver to check X-Pipewright-Signature: shown on request
 * (each showing is audited), and rotated on request, after which the old secret signs nothing.
 */
export function WebhookSigning({ pipelineId, webhookId }: { pipelineId: string; webhookId: string }) {
  const trpc = useTRPC();
  const [shown, setShown] = useState<{ secret: string; generation: number } | null>(null);
  const reveal = useMutation(trpc.notifications.signingSecret.mutationOptions({ onSuccess: setShown }));
  const rotate = useMutation(trpc.notifications.rotateSigningSecret.mutationOptions({ onSuccess: setShown }));
  const error = reveal.error ?? rotate.error;
  return (
    <div className="webhook-signing">
      {shown ? (
        <code className="signing-secret">{shown.secret}</code>
      ) : (
        <p className="panel-note">
          Requests carry X-Pipewright-Signature: sha256=HMAC of "timestamp.body" under this secret.
        </p>
      )}
      <div className="inline-add">
        <button
          type="button"
          className="secondary"
          disabled={reveal.isPending}
          onClick={() => (shown ? setShown(null) : reveal.mutate({ pipelineId, webhookId }))}
        >
          {shown ? 'Hide secret' : 'Show secret'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={rotate.isPending}
          title="A new secret; the receiver must be given it, as the old one signs nothing more"
          onClick={() => {
            if (window.confirm('Rotate the signing secret? The receiver must be given the new one.'))
              rotate.mutate({ pipelineId, webhookId });
          }}
        >
          Rotate
        </button>
      </div>
      {error && <p className="form-error">{error.message}</p>}
    </div>
  );
}
