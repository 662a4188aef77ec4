/** A file that cannot be imported as asked; the message says why in words an analyst follows. */
export class ModelImportError extends Error {
  override name = 'ModelImportError';
}
