/**
 * An email address as the audit log shows it: the first letter of the mailbox and the whole domain
 * (a***@example.com). Enough to tell which team's address was added or removed, without writing a
 * list of personal addresses into a log every admin can read and export.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}
