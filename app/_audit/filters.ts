import { z } from 'zod';

/** Blank text is no filter: a form sends '' for an empty field. */
function optionalText(max: number, pattern?: { regex: RegExp; message: string }) {
  const text = z.string().trim().max(max, `at most ${max} characters`);
  const checked = pattern ? text.regex(pattern.regex, pattern.message) : text;
  return checked.optional().transform((value) => (value === '' ? undefined : value));
}

/** The filters every view of the audit log shares (page, tRPC and CSV export). */
const textFilters = {
  actor: optionalText(320),
  action: optionalText(100, {
    regex: /^[a-z0-9.-]*$/,
    message: 'an action is lower-case words joined by dots, like pipeline.saved, or a prefix like pipeline.',
  }),
  objectType: optionalText(40, {
    regex: /^[a-z-]*$/,
    message: 'an object type is a lower-case word, like pipeline',
  }),
  object: optionalText(200),
};

function fromBeforeTo(filters: { from?: Date; to?: Date }): boolean {
  return !filters.from || !filters.to || filters.from < filters.to;
}
const rangeError = { message: '"from" must be before "to"', path: ['to'] };

/** The filters as tRPC input (dates arrive as Dates through superjson). */
export const auditFiltersSchema = z
  .object({ ...textFilters, from: z.date().optional(), to: z.date().optional() })
  .refine(fromBeforeTo, rangeError);
export type AuditFilterInput = z.input<typeof auditFiltersSchema>;

/** A date in a query parameter: an ISO date or date-time (2026-12-07, 2026-12-07T10:00:00Z); blank is no filter. */
function queryDate(name: string) {
  return z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(ISO_DATE, `${name} must be a date like 2026-12-07 or a date-time like 2026-12-07T10:00:00Z`)
      .refine((text) => !Number.isNaN(Date.parse(text)), `${name} is not a real date`)
      .transform((text) => new Date(text))
      .optional(),
  );
}
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The filters as CSV-export query parameters; an unknown parameter is refused, naming it. */
export const auditQuerySchema = z
  .strictObject({ ...textFilters, from: queryDate('from'), to: queryDate('to') })
  .refine(fromBeforeTo, rangeError);

/** The CSV export's address for these filters: the page's "Export CSV" link. */
export function auditExportHref(filters: AuditFilterInput): string {
  const params = new URLSearchParams();
  for (const name of ['actor', 'action', 'objectType', 'object'] as const) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  if (filters.from) params.set('from', filters.from.toISOString());
  if (filters.to) params.set('to', filters.to.toISOString());
  const query = params.toString();
  return `/api/audit/export${query ? `?${query}` : ''}`;
}
