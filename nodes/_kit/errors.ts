/**
 * A mistake the analyst can fix (bad config, missing column, failed gate). It is not retried, and its
 * message is shown as it is, so it must name the field, column or row it is about.
 */
export class NodeInputError extends Error {
  override name = 'NodeInputError';
  constructor(
    message: string,
    readonly details: { field?: string; column?: string; row?: number } = {},
  ) {
    super(message);
  }
}
