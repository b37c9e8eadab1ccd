/** A run with failed targets fails as a whole — after every target has had its turn and been reported. */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { ErrorCode } from '@autocode/toolkit';
import type { FleetResult } from './fleet.js';
import { FAILING } from './result.js';

export function assertFleetOk(result: FleetResult): void {
  if (result.ok) return;
  const failed = result.targets.filter((t) => FAILING.includes(t.status));
  const first = failed[0]!;
  const code = (
    first.status === 'conflict' ? ErrorCodes.CONFLICT : (first.error?.code ?? ErrorCodes.INTERNAL)
  ) as ErrorCode;
  throw new AutocodeError(
    code,
    `${failed.length} of ${result.targets.length} target(s) failed: ${failed.map((t) => `${t.repo} (${t.message})`).join('; ')}`,
    {
      hint: 'the other targets were synced; fix these and rerun: the sync resumes where it stopped',
      details: { failed: failed.map((t) => t.repo) },
    },
  );
}
