/**
 * Outbound protection for user-supplied text (the command, requester notes): invisible Unicode and HTML
 * comments are removed before anything reaches a prompt. Both are classic prompt-injection carriers: a
 * reviewer reading the command on GitHub or a phone cannot see them, the model can.
 */

/**
 * Characters that render as nothing (or reorder what renders) yet reach the model: zero-width spaces and
 * joiners, bidi embeddings/overrides/isolates, word joiner and invisible operators, BOM, soft hyphen,
 * Mongolian vowel separator, combining grapheme joiner, Hangul fillers, Unicode tag characters (U+E0000–
 * U+E007F, "ASCII smuggling"), variation selectors, and C0/C1 controls other than tab and newline.
 */
const INVISIBLE =
  // Each listed code point is matched on its own on purpose (combining ones included): that is the point.
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/** Complete comments, and an unterminated one running to the end (it would hide everything after it). */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

export interface SanitizeResult {
  text: string;
  /** How many invisible characters and HTML comments were removed (reported, never silently dropped). */
  removed: { invisible: number; comments: number };
}

export function sanitizeUserText(input: string): SanitizeResult {
  let invisible = 0;
  let comments = 0;
  // Invisible characters first: "<!\u200B--" must not survive as a comment opener after removal.
  let text = input.replace(/\r\n?/g, '\n').replace(INVISIBLE, () => {
    invisible++;
    return '';
  });
  // Repeat until stable: removing one comment can splice "<!-" + "-" into a new opener.
  for (;;) {
    const next = text.replace(HTML_COMMENT, () => {
      comments++;
      return '';
    });
    if (next === text) break;
    text = next;
  }
  return { text: text.trim(), removed: { invisible, comments } };
}
