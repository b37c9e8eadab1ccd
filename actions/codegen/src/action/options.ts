/**
 * Action inputs → one typed options object per step. Every value is validated here (through the toolkit's
 * readers), so the steps and cores only see well-formed data.
 */
import {
  AutocodeError,
  ErrorCodes,
  readBoolean,
  readEnum,
  readInteger,
  readList,
  readRepo,
  readString,
} from '@autocode/toolkit';
import type { InputReader } from '@autocode/toolkit';
import type { CheckCommand } from '../checks/run.js';

export const MODES = ['generate', 'gate', 'publish', 'report-failure'] as const;
export type Mode = (typeof MODES)[number];

export interface StepOptions {
  mode: Mode;
  owner: string;
  repo: string;
  ref: string;
  command: string;
  requester: string;
  template?: string;
  component?: string;
  jobId?: string;
  providers?: string;
  maxTokens?: number;
  maxCostUsd?: number;
  contextTokens?: number;
  latencyThresholdMs: number;
  checks?: CheckCommand[];
  checkTimeoutMs: number;
  checkMemoryBytes: number;
  review?: boolean;
  labels?: string[];
  reviewers?: string[];
  teamReviewers?: string[];
  cache: boolean;
  artifactName: string;
  decision?: string;
  artifactUrl?: string;
  reason: string;
  workdir: string;
  apiUrl: string;
}

/** Checks as "name: command" lines, or bare commands (named after themselves). */
export function parseChecks(lines: string[]): CheckCommand[] {
  return lines.map((line) => {
    const m = /^([\w .-]{1,40}):\s+(.+)$/.exec(line);
    return m
      ? { name: m[1]!.trim(), run: m[2]! }
      : { name: line.split(/\s+/).slice(0, 2).join(' '), run: line };
  });
}

const optional = <T>(reader: InputReader, name: string, read: () => T): T | undefined =>
  reader.get(name) === undefined ? undefined : read();

function positive(reader: InputReader, name: string): number {
  const v = Number(reader.get(name));
  if (!(v > 0)) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `${reader.describe(name)} must be a positive number, got "${reader.get(name)}"`,
    );
  }
  return v;
}

export function readStepOptions(reader: InputReader, env: Record<string, string | undefined>): StepOptions {
  const { owner, repo } = readRepo(reader, 'repository', env.GITHUB_REPOSITORY);
  const runId = env.GITHUB_RUN_ID ?? 'local';
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  const mode = readEnum(reader, 'mode', MODES, 'generate');
  return {
    mode,
    owner,
    repo,
    ref: readString(reader, 'ref', { default: 'main' })!,
    command:
      mode === 'generate'
        ? readString(reader, 'command', { required: true })
        : (readString(reader, 'command') ?? ''),
    requester: readString(reader, 'requester', { default: env.GITHUB_ACTOR ?? 'unknown' })!.replace(/^@/, ''),
    template: readString(reader, 'template'),
    component: readString(reader, 'component'),
    jobId: readString(reader, 'job-id'),
    providers: readString(reader, 'providers'),
    maxTokens: optional(reader, 'max-tokens', () => readInteger(reader, 'max-tokens', 0, { min: 1 })),
    maxCostUsd: optional(reader, 'max-cost-usd', () => positive(reader, 'max-cost-usd')),
    contextTokens: optional(reader, 'context-tokens', () =>
      readInteger(reader, 'context-tokens', 0, { min: 1000 }),
    ),
    latencyThresholdMs: readInteger(reader, 'latency-threshold-ms', 10_000, { min: 100 }),
    checks: optional(reader, 'checks', () =>
      parseChecks(readList(reader, 'checks').filter((l) => !l.startsWith('#'))),
    ),
    checkTimeoutMs: readInteger(reader, 'check-timeout-minutes', 10, { min: 1, max: 360 }) * 60_000,
    checkMemoryBytes: readInteger(reader, 'check-memory-mb', 2048, { min: 64 }) * 1024 ** 2,
    review: optional(reader, 'review', () => readBoolean(reader, 'review', true)),
    labels: optional(reader, 'labels', () => readList(reader, 'labels')),
    reviewers: optional(reader, 'reviewers', () => readList(reader, 'reviewers')),
    teamReviewers: optional(reader, 'team-reviewers', () => readList(reader, 'team-reviewers')),
    cache: readBoolean(reader, 'cache', true),
    artifactName: readString(reader, 'artifact-name', { default: `autocode-codegen-${runId}-${attempt}` })!,
    decision: readString(reader, 'decision'),
    artifactUrl: readString(reader, 'artifact-url'),
    reason: readString(reader, 'reason', { default: 'the codegen workflow failed' })!,
    workdir: readString(reader, 'workdir', { default: `${env.RUNNER_TEMP ?? '/tmp'}/autocode-codegen` })!,
    apiUrl: readString(reader, 'api-url', { default: env.GITHUB_API_URL ?? 'https://api.github.com' })!,
  };
}
