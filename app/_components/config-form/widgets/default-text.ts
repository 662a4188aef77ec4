import type { FormField } from '../fields';

/** The field's default as placeholder text; empty when it has none. */
export function defaultText(field: FormField): string {
  if (!field.hasDefault || field.default === undefined) return '';
  return typeof field.default === 'string' ? field.default : JSON.stringify(field.default);
}
