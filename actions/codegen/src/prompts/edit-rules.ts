/**
 * The edit-format instructions spliced into a template's `{{edit_rules}}`: one source of truth beside the
 * parser that reads the result (../edits/parse.ts), so prompt and parser cannot drift apart.
 */
import type { EditFormat } from './templates.js';

const COMMON = `Paths are relative to the repository root. Never touch .git/, files outside the repository, or
symlinks. After the edits, add one short line summarising the change; no other prose.`;

const RULES: Record<EditFormat, string> = {
  'unified-diff': `Reply with unified diffs in fenced \`\`\`diff blocks, one block per file, each starting with
\`--- a/<path>\` and \`+++ b/<path>\` headers followed by @@ hunks with three lines of context. Create a file
with \`--- /dev/null\`; delete one with \`+++ /dev/null\`.`,
  'search-replace': `For each change, write the file path alone on a line, then a fenced block:
<<<<<<< SEARCH
(the exact lines to replace, copied from the file, with enough context to be unique)
=======
(the replacement lines)
>>>>>>> REPLACE
To create a file, leave the SEARCH part empty.`,
};

export function editRules(format: EditFormat): string {
  return `${RULES[format]}\n${COMMON}`;
}

/** The reflection message: what failed, and that nothing was applied. */
export function reflectionMessage(errors: string[]): string {
  return `None of your edits were applied, because:\n${errors.map((e) => `- ${e}`).join('\n')}\n\nSend the complete set of edits again with these problems fixed.`;
}
