/** Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide one). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell holding one of these is quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell: a value that could start a formula gets a leading apostrophe, so a spreadsheet
 * shows it as text instead of running it; then RFC 4180 quoting (quotes doubled).
 */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record, ended by CRLF as RFC 4180 asks. */
export function csvLine(values: ReadonlyArray<string | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
