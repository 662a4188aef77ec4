import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StepSummary } from './StepSummary';

describe('a deploy step summary', () => {
  it('says what was decided, and shows both figures of the comparison', () => {
    const html = renderToStaticMarkup(
      createElement(StepSummary, {
        nodeType: 'deploy',
        summary: {
          model: 'churn',
          version: 4,
          alias: 'production',
          action: 'production',
          decision: 'Promoted churn version 4 to production: it beats production version 3 on accuracy.',
          comparison: {
            metric: 'accuracy',
            margin: 0.01,
            new: 0.9735,
            production: 0.8938,
            productionVersion: 3,
          },
          metrics: { accuracy: 0.97 },
        },
      }),
    );
    expect(html).toContain('<strong>churn</strong> version 4: in production');
    expect(html).toContain(
      'Promoted churn version 4 to production: it beats production version 3 on accuracy.',
    );
    expect(html).toContain('Production (version 3)');
    expect(html).toContain('<td class="number">0.9735</td><td class="number">0.8938</td>');
  });
});
