/** The outcome of "Test connection": a green line, or the database's message in red. */
export function TestResult({ ok, text }: { ok: boolean; text: string }) {
  return (
    <p className={ok ? 'test-result test-ok' : 'test-result test-failed'} role="status">
      {ok ? '✓ ' : '✗ '}
      {text}
    </p>
  );
}
