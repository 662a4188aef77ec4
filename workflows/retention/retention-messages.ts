/** The words for a file retention deleted, shared by previews and reuse checks so both say the same. */

/** The day, as YYYY-MM-DD (UTC): retention runs daily, so the hour says nothing. */
function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Why a reused step runs again (appended to "Runs again instead of reusing …: "). */
export function deletedByRetentionReason(at: Date): string {
  return `its files were deleted by retention on ${day(at)}`;
}

/** What a preview of a deleted file answers. */
export function deletedByRetentionMessage(at: Date): string {
  return `This file was deleted by retention on ${day(at)}; the run's record is kept. Run the pipeline again to make it anew.`;
}
