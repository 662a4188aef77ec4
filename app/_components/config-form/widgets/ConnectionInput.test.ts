import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { nodeSpecs } from '../../../../nodes/specs';
import { ConfigForm } from '../ConfigForm';
import type { ConnectionOption } from './widget-props';

const connections: ConnectionOption[] = [
  { name: 'SALES_DB', source: 'stored' },
  { name: 'WAREHOUSE', source: 'environment' },
];

function render(connection: string | undefined, known: ConnectionOption[] | undefined): string {
  return renderToStaticMarkup(
    createElement(ConfigForm, {
      spec: nodeSpecs.ingest,
      value: { source: 'postgres', connection },
      onChange: () => {},
      connections: known,
      parameters: [],
      idPrefix: 'ingest',
    }),
  );
}

describe('the connection field', () => {
  it('offers stored and environment connections, the chosen one selected whatever its case', () => {
    const html = render('sales_db', connections);
    expect(html).toContain('<select id="ingest-connection"');
    expect(html).toContain('<option value="SALES_DB" selected="">SALES_DB</option>');
    expect(html).toContain('<option value="WAREHOUSE">WAREHOUSE (environment)</option>');
  });

  it('keeps a name that is no known connection, and says so', () => {
    expect(render('GONE', connections)).toContain(
      '<option value="GONE" selected="">GONE (not a known connection)</option>',
    );
  });

  it('is typed in until the connections are known', () => {
    const html = render('SALES_DB', undefined);
    expect(html).not.toContain('<select id="ingest-connection"');
    expect(html).toMatch(/<input[^>]*id="ingest-connection"[^>]*value="SALES_DB"/);
  });
});
