/**
 * A generated unified diff of a given size that looks like a large refactor: many TypeScript files, hunks
 * mixing context, removed and added lines, and a handful of planted findings (secrets, TODOs) so every
 * scanner path runs. Deterministic for a seed; secrets come from the runtime fakes (nothing stored).
 */
import { ALNUM, Fakes, p } from '@autocode/policies/testing';

const WORDS = 'value result request config handler client session record index buffer stream parser'.split(
  ' ',
);

function codeLine(f: Fakes, i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k) % WORDS.length]!;
  switch (i % 6) {
    case 0:
      return `  const ${w(1)}${i} = await ${w(2)}.load(${w(3)}Id, { retries: ${i % 5}, label: "${w(4)} ${i}" });`;
    case 1:
      return `  if (!${w(1)}${i - 1}) throw new Error(\`missing ${w(2)} for \${${w(3)}.name}\`);`;
    case 2:
      return `  // ${w(1)} ${w(2)} ${w(3)}: keep the ${w(4)} ordered so ${w(5)} stays stable`;
    case 3:
      return `  ${w(1)}s.push({ id: "${f.chars(ALNUM, 8)}", size: ${i * 13}, tags: ["${w(2)}", "${w(3)}"] });`;
    case 4:
      return `  return ${w(1)}${i - 4}.map((x) => x.${w(2)}).filter(Boolean).join(", ");`;
    default:
      return `export function ${w(1)}${w(2)}${i}(${w(3)}: string, ${w(4)}: number): string {`;
  }
}

export function generateDiff(
  targetBytes: number,
  seed = 7,
): { diff: string; files: number; planted: number } {
  const f = new Fakes(seed);
  const parts: string[] = [];
  let size = 0;
  let files = 0;
  let planted = 0;
  while (size < targetBytes) {
    const path = `src/module-${Math.floor(files / 20)}/file-${files}.ts`;
    const lines: string[] = [
      `diff --git a/${path} b/${path}`,
      'index 1a2b3c4..5d6e7f8 100644',
      `--- a/${path}`,
      `+++ b/${path}`,
    ];
    let oldLine = 1;
    for (let h = 0; h < 8; h++) {
      const body: string[] = [];
      let oldCount = 0;
      let newCount = 0;
      for (let i = 0; i < 40; i++) {
        const line = codeLine(f, files * 1000 + h * 100 + i);
        const kind = i % 5;
        if (kind === 0) {
          body.push(` ${line}`);
          oldCount++;
          newCount++;
        } else if (kind === 1) {
          body.push(`-${line}`);
          oldCount++;
        } else {
          body.push(`+${line}`);
          newCount++;
        }
      }
      if (files % 50 === 0 && h === 0) {
        body.push(`+  const token = "${p('gh', 'p_', f.chars(ALNUM, 36))}"; // TODO move to the vault`);
        newCount++;
        planted++;
      }
      lines.push(
        `@@ -${oldLine},${oldCount} +${oldLine},${newCount} @@ export class Module${files} {`,
        ...body,
      );
      oldLine += oldCount + 20;
    }
    const chunk = `${lines.join('\n')}\n`;
    parts.push(chunk);
    size += chunk.length;
    files++;
  }
  return { diff: parts.join(''), files, planted };
}
