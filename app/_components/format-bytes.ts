/** Bytes in the unit a person reads (1024-based, one decimal): "512 bytes", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 4) return `${Number((bytes / 1024 ** 4).toFixed(1))} TB`;
  if (bytes >= 1024 ** 3) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
