/**
 * `autocode audit verify --export <file> --checkpoint <file> --public-key <file>`: check an audit export from
 * the edge API against signed checkpoints (anchored outside the edge, e.g. in a protected repository).
 * Reports edits, deletions, reordering and truncation; exit 1 when anything fails, 2 on unreadable input.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { parseCheckpoints, parseExport, parsePublicKey, verifyAuditExport } from '@autocode/edge-api/audit';
import type { VerifyResult } from '@autocode/edge-api/audit';

function read<T>(file: string, what: string, parse: (text: string) => T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `cannot read the ${what} file ${file}`, { cause: err });
  }
  try {
    return parse(text);
  } catch (err) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `${file}: ${(err as Error).message}`, {
      cause: err,
      hint: `pass the ${what} as fetched from the edge API`,
    });
  }
}

export async function verifyAuditFiles(opts: {
  export: string;
  checkpoint: string;
  publicKey: string;
}): Promise<VerifyResult> {
  const data = read(opts.export, 'export', parseExport);
  const checkpoints = read(opts.checkpoint, 'checkpoint', parseCheckpoints);
  const key = read(opts.publicKey, 'public key', parsePublicKey);
  return verifyAuditExport(data, checkpoints, key);
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('work with the edge API audit log');
  audit
    .command('verify')
    .description(
      'verify an audit export against signed checkpoints (edits, deletions, reordering, truncation)',
    )
    .requiredOption('--export <file>', 'JSON from GET /v1/audit')
    .requiredOption('--checkpoint <file>', 'JSON checkpoint (or array) from GET /v1/audit/checkpoint')
    .requiredOption('--public-key <file>', 'Ed25519 public key: JWK from GET /v1/audit/public-key, or PEM')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { export: string; checkpoint: string; publicKey: string; json?: boolean }) => {
      const result = await verifyAuditFiles(opts);
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else if (result.ok) {
        const pending = result.entries - result.anchored;
        console.log(
          `audit log verified: ${result.entries} entries, ${result.anchored} covered by signed checkpoints` +
            (pending > 0 ? ` (${pending} newer entries not yet checkpointed)` : ''),
        );
      } else {
        console.error(`audit log verification FAILED (${result.problems.length} problem(s)):`);
        for (const p of result.problems) console.error(`  ${p.kind}: ${p.message}`);
      }
      if (!result.ok) process.exitCode = 1;
    });
}
