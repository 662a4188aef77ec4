import type { Database } from '../../db/client';
import { type AuditFilters, type AuditRow, eachAuditEntry, recordAudit } from '../../db/queries/audit';
import { auditQuerySchema } from '../_audit/filters';
import type { Actor } from './auth/actor';
import { auditEntry } from './auth/audit-actor';
import { csvLine } from './csv';
import { logUnexpectedError } from './unexpected-error';

const COLUMNS = [
  'time',
  'actor_kind',
  'actor_email',
  'actor_id',
  'action',
  'object_type',
  'object_id',
  'object_label',
  'details',
  'ip_address',
];

function recordOf(row: AuditRow): string {
  return csvLine([
    row.at.toISOString(),
    row.actorKind,
    row.actorEmail,
    row.actorId,
    row.action,
    row.objectType,
    row.objectId,
    row.objectLabel,
    row.details === null ? null : JSON.stringify(row.details),
    row.ipAddress,
  ]);
}

/** The filters a query string asks for, or the sentence a 400 answer gives (naming the parameter). */
export function parseAuditQuery(params: URLSearchParams): { filters: AuditFilters } | { error: string } {
  const repeated = [...new Set(params.keys())].find((name) => params.getAll(name).length > 1);
  if (repeated !== undefined) return { error: `The query parameter "${repeated}" is given more than once` };
  const parsed = auditQuerySchema.safeParse(Object.fromEntries(params));
  if (parsed.success) return { filters: parsed.data };
  const issue = parsed.error.issues[0];
  const name = issue?.path.join('.');
  return {
    error: name
      ? `The query parameter "${name}" is not valid: ${issue?.message}`
      : `${issue?.message ?? 'The query is not valid'} (the export accepts actor, action, objectType, object, from and to)`,
  };
}

/**
 * The CSV text of every matching entry, newest first, produced as the reader asks for it: the log
 * is read a page at a time, never whole. A failure midway is logged and ends the download early
 * (the status line has been sent by then).
 */
export function auditCsvStream(db: Database, filters: AuditFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = eachAuditEntry(db, filters);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(COLUMNS)));
    },
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(recordOf(next.value)));
      } catch (error) {
        logUnexpectedError(error, 'audit CSV export');
        controller.error(new Error('The audit export failed; the server log has the details'));
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

/**
 * GET /api/audit/export's answer: 400 naming a bad parameter, else the CSV as an attachment named
 * for the day. The export itself goes into the log (who took a copy, with which filters).
 */
export async function auditExportResponse(
  db: Database,
  caller: { actor: Actor; ipAddress: string | null },
  url: URL,
  now = new Date(),
): Promise<Response> {
  const query = parseAuditQuery(url.searchParams);
  if ('error' in query) return Response.json({ error: query.error }, { status: 400 });
  await recordAudit(
    db,
    auditEntry(caller.actor, caller.ipAddress, {
      action: 'audit.exported',
      objectType: 'audit-log',
      details: { filters: Object.fromEntries(url.searchParams) },
    }),
  );
  const day = now.toISOString().slice(0, 10);
  return new Response(auditCsvStream(db, query.filters), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="pipewright-audit-${day}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
