/** Which files travel inline in the tree request (text) and which need a blob upload (binary, huge). */

/** Largest file sent inline (bigger text files go as blobs to keep the tree request small). */
export const INLINE_LIMIT = 1024 * 1024;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file as text when it round-trips exactly through a JSON string (valid UTF-8, no NUL), else undefined. */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length > INLINE_LIMIT || bytes.includes(0)) return undefined;
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
