'use client';

import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import type { ModelSignature } from '../../registry/version-schema';
import { exampleRow, KEY_VARIABLE, predictPath, type Snippets, snippetsFor } from './endpoint';

const LANGUAGES: Array<{ key: keyof Snippets; label: string }> = [
  { key: 'curl', label: 'curl' },
  { key: 'python', label: 'Python' },
  { key: 'javascript', label: 'JavaScript' },
];

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast.success(`${what} copied`);
  } catch {
    toast.error('The browser did not allow copying; select the text instead.');
  }
}

/**
 * Where clients call the model (the serving URL, production by default) and how, in curl, Python and
 * JavaScript, with an example row from the signature. The key is read from an environment variable:
 * the page never holds a real key.
 */
export function EndpointPanel({
  name,
  serveUrl,
  signature,
}: {
  name: string;
  serveUrl: string;
  signature: ModelSignature | undefined;
}) {
  const [language, setLanguage] = useState<keyof Snippets>('curl');
  const url = `${serveUrl}${predictPath(name, { alias: 'production' })}`;
  const body = { rows: [signature ? exampleRow(signature) : {}] };
  const snippets = snippetsFor(url, body);
  return (
    <section className="panel" aria-labelledby="endpoint-heading">
      <h2 id="endpoint-heading">Endpoint</h2>
      <div className="endpoint-url">
        <span className="method-badge">POST</span>
        <code>{url}</code>
        <button type="button" className="secondary" onClick={() => void copy(url, 'The URL')}>
          Copy
        </button>
      </div>
      <p className="muted form-hint">
        Serves the production version; add <code>?alias=staging</code> for staging, or call{' '}
        <code>/versions/N/predict</code> for one version. Send a key with the <strong>predict</strong> scope
        (create one on the <Link href="/keys">API keys</Link> page) in <code>{KEY_VARIABLE}</code>. MLflow
        bodies (<code>dataframe_split</code>, <code>dataframe_records</code>, <code>instances</code>,{' '}
        <code>inputs</code>) work too.
      </p>
      <div className="snippet-tabs" role="tablist" aria-label="Snippet language">
        {LANGUAGES.map((each) => (
          <button
            key={each.key}
            type="button"
            role="tab"
            aria-selected={language === each.key}
            className={language === each.key ? 'snippet-tab active' : 'snippet-tab'}
            onClick={() => setLanguage(each.key)}
          >
            {each.label}
          </button>
        ))}
        <button
          type="button"
          className="link-button snippet-copy"
          onClick={() => void copy(snippets[language], 'The snippet')}
        >
          Copy snippet
        </button>
      </div>
      <pre className="snippet" role="tabpanel" aria-label={`${language} snippet`}>
        {snippets[language]}
      </pre>
    </section>
  );
}
