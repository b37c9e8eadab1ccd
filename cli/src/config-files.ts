/** Config files `autocode doctor` validates when present; capabilities add theirs here. */
import { autocodeConfigSchema } from '@autocode/toolkit';
import { policyConfigSchema } from '@autocode/policies';
import { SYNC_CONFIG_FILE, syncConfigSchema } from '@autocode/action-sync';

export interface ConfigFileSpec {
  file: string;
  schema: object;
  description: string;
}

export const configFiles: ConfigFileSpec[] = [
  { file: 'autocode.yaml', schema: autocodeConfigSchema, description: 'autocode system config' },
  { file: '.github/autocode-policy.yaml', schema: policyConfigSchema, description: 'autocode policy config' },
  { file: SYNC_CONFIG_FILE, schema: syncConfigSchema, description: 'autocode sync config' },
];
