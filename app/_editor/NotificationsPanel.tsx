'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { EVENT_LABELS, EVENT_NAMES, type NotificationEventName } from '../_components/notification-events';
import { useTRPC } from '../_trpc/client';
import { PanelHeader } from './PanelHeader';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookSigning } from './WebhookSigning';

export interface NotificationsPanelProps {
  pipelineId: string;
  /** Set when the viewer's role may not edit: settings hold webhook URLs and emails, so nothing is shown. */
  readOnlyReason?: string;
  onClose: () => void;
}

/**
 * Who hears about this pipeline's failures: which events, which webhooks (stored URLs are shown only
 * as a hint, since they often hold a secret), which email addresses. The app's bell gets every event
 * whatever is chosen here. "Send test" posts a test message to each target now and says how it went.
 * Each webhook opens to its delivery log and its signing secret.
 */
export function NotificationsPanel({ pipelineId, readOnlyReason, onClose }: NotificationsPanelProps) {
  return (
    <aside className="details notifications" aria-label="Notifications">
      <PanelHeader title="Notifications" closeLabel="Close notifications" onClose={onClose} />
      {readOnlyReason ? (
        <p className="panel-note">{readOnlyReason}</p>
      ) : (
        <NotificationsForm pipelineId={pipelineId} />
      )}
    </aside>
  );
}

function NotificationsForm({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.notifications.settings.queryOptions({ pipelineId }));
  const [events, setEvents] = useState<NotificationEventName[]>([]);
  const [emails, setEmails] = useState<string[]>([]);
  const [removed, setRemoved] = useState<string[]>([]);
  const [newUrl, setNewUrl] = useState('');
  const [newEmail, setNewEmail] = useState('');
  const [dirty, setDirty] = useState(false);

  // The form starts from what is stored, and again after each save.
  useEffect(() => {
    if (!settings.data) return;
    setEvents(settings.data.events);
    setEmails(settings.data.emails);
    setRemoved([]);
    setDirty(false);
  }, [settings.data]);

  const save = useMutation(
    trpc.notifications.saveSettings.mutationOptions({
      onSuccess: () => {
        setNewUrl('');
        return queryClient.invalidateQueries({
          queryKey: trpc.notifications.settings.queryKey({ pipelineId }),
        });
      },
    }),
  );
  const test = useMutation(trpc.notifications.sendTest.mutationOptions());

  if (!settings.data)
    return <p className="panel-note">{settings.error ? settings.error.message : 'Loading…'}</p>;
  const webhooks = settings.data.webhooks.filter((webhook) => !removed.includes(webhook.id));

  function toggleEvent(event: NotificationEventName) {
    setEvents((current) =>
      current.includes(event) ? current.filter((e) => e !== event) : [...current, event],
    );
    setDirty(true);
  }

  function addEmail() {
    const address = newEmail.trim();
    if (!address) return;
    setEmails((current) => (current.includes(address) ? current : [...current, address]));
    setNewEmail('');
    setDirty(true);
  }

  return (
    <form
      className="notifications-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          pipelineId,
          events,
          emails,
          addWebhooks: newUrl.trim() ? [newUrl.trim()] : [],
          removeWebhookIds: removed,
        });
      }}
    >
      <section className="panel-section">
        <h3>Notify when</h3>
        {EVENT_NAMES.map((event) => (
          <label key={event} className="check-field">
            <input type="checkbox" checked={events.includes(event)} onChange={() => toggleEvent(event)} />
            {EVENT_LABELS[event]}
          </label>
        ))}
        <p className="panel-note">The bell in the top bar shows every event, whatever is chosen here.</p>
      </section>

      <section className="panel-section">
        <h3>Webhooks</h3>
        {webhooks.length ? (
          <ul className="target-list">
            {webhooks.map((webhook) => (
              <li key={webhook.id} className="webhook-item">
                <div className="webhook-head">
                  <code title="Only a hint of the address is shown: it may hold a secret">
                    {webhook.display}
                  </code>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove webhook ${webhook.display}`}
                    onClick={() => {
                      setRemoved((current) => [...current, webhook.id]);
                      setDirty(true);
                    }}
                  >
                    ×
                  </button>
                </div>
                <details className="webhook-more">
                  <summary>Deliveries</summary>
                  <WebhookDeliveries pipelineId={pipelineId} webhookId={webhook.id} />
                </details>
                <details className="webhook-more">
                  <summary>Signing secret</summary>
                  <WebhookSigning pipelineId={pipelineId} webhookId={webhook.id} />
                </details>
              </li>
            ))}
          </ul>
        ) : (
          <p className="panel-note">No webhooks yet.</p>
        )}
        <label className="field">
          Add a webhook URL
          <input
            type="url"
            value={newUrl}
            maxLength={2000}
            placeholder="https://hooks.example.com/…"
            onChange={(event) => setNewUrl(event.target.value)}
          />
        </label>
      </section>

      <section className="panel-section">
        <h3>Email</h3>
        {!settings.data.emailConfigured && (
          <p className="panel-note">
            No mail server is configured (PIPEWRIGHT_SMTP_URL): emails are not sent.
          </p>
        )}
        {emails.length > 0 && (
          <ul className="target-list">
            {emails.map((email) => (
              <li key={email}>
                <span>{email}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${email}`}
                  onClick={() => {
                    setEmails((current) => current.filter((e) => e !== email));
                    setDirty(true);
                  }}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="inline-add">
          <input
            type="email"
            value={newEmail}
            placeholder="ada@example.com"
            aria-label="Email address to add"
            onChange={(event) => setNewEmail(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addEmail();
              }
            }}
          />
          <button type="button" className="secondary" onClick={addEmail} disabled={!newEmail.trim()}>
            Add
          </button>
        </div>
      </section>

      <section className="panel-section notifications-actions">
        <button type="submit" className="primary" disabled={save.isPending || (!dirty && !newUrl.trim())}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={
            test.isPending || dirty || settings.data.webhooks.length + settings.data.emails.length === 0
          }
          title={
            dirty
              ? 'Save first: the test goes to the stored targets'
              : 'Send a test message to every webhook and email now'
          }
          onClick={() => test.mutate({ pipelineId })}
        >
          {test.isPending ? 'Sending…' : 'Send test'}
        </button>
        {save.error && <p className="form-error">{save.error.message}</p>}
        {/* A refusal, such as a second test within the minute, says when to try again. */}
        {test.error && <p className="form-error">{test.error.message}</p>}
        {test.data && (
          <ul className="test-results" aria-label="Test results">
            {test.data.results.map((result) => (
              <li key={result.target} className={result.ok ? 'test-ok' : 'test-failed'}>
                <code>{result.target}</code> {result.ok ? 'delivered' : result.error}
              </li>
            ))}
          </ul>
        )}
      </section>
    </form>
  );
}
