// A minimal action used by action.test.ts: fails with a located config error, after masking a token.
import { AutocodeError, ErrorCodes } from '../errors.js';
import { runAction } from '../action.js';

await runAction(async (reporter) => {
  reporter.secret(process.env.INPUT_TOKEN ?? '');
  reporter.info(`using token ${process.env.INPUT_TOKEN}`);
  throw new AutocodeError(ErrorCodes.CONFIG_INVALID, 'targets[0].repo: missing required key "repo"', {
    location: { file: '.sync-config.yaml', line: 4, column: 5 },
    hint: 'add repo: owner/name',
  });
});
