import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { nodeSpecs } from '../../../../nodes/specs';
import { ConfigForm } from '../ConfigForm';

function render(model: string | undefined, modelNames: string[] | undefined): string {
  return renderToStaticMarkup(
    createElement(ConfigForm, {
      spec: nodeSpecs.deploy,
      value: { model, action: 'production' },
      onChange: () => {},
      modelNames,
      parameters: [],
      idPrefix: 'deploy',
    }),
  );
}

describe("the deploy node's model name", () => {
  it('is typed in, with the registered models offered to pick from', () => {
    const html = render('churn', ['churn', 'fraud']);
    expect(html).toMatch(
      /<input id="deploy-model"[^>]* type="text"[^>]* list="deploy-model-suggestions" value="churn"\/>/,
    );
    expect(html).toContain(
      '<datalist id="deploy-model-suggestions"><option value="churn"></option><option value="fraud"></option></datalist>',
    );
  });

  it('is a plain text field while the names are unknown or there are none', () => {
    expect(render(undefined, undefined)).not.toContain('deploy-model-suggestions');
    expect(render(undefined, [])).not.toContain('deploy-model-suggestions');
  });
});
