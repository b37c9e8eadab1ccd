/**
 * `.sync-config.yaml`: the seed's format (targets with repo, paths, exclude, create_pr, auto_merge,
 * require_approvals, reviewers incl. `team:slug`, labels) plus `branch`, `draft`, `delete_orphaned` and
 * `on_conflict`. Parsed with the toolkit (YAML + JSON Schema, errors at file:line:column); globs that could
 * reach outside the repository are refused here, before anything is read or written.
 */
import { AutocodeError, ErrorCodes, locateIssues, parseConfig } from '@autocode/toolkit';
import { globProblem } from './paths.js';
import { syncConfigSchema } from './schema.js';

export const SYNC_CONFIG_FILE = '.sync-config.yaml';

export type OnConflict = 'skip' | 'fail' | 'overwrite';

/** One target as written in the file. */
export interface SyncTargetConfig {
  repo: string;
  paths: string[];
  exclude?: string[];
  create_pr?: boolean;
  auto_merge?: boolean;
  require_approvals?: number;
  reviewers?: string[];
  labels?: string[];
  branch?: string;
  draft?: boolean;
  delete_orphaned?: boolean;
  on_conflict?: OnConflict;
}

export interface SyncConfig {
  targets: SyncTargetConfig[];
}

/** A target with every default filled in, as the planner and the adapters use it. */
export interface SyncTarget {
  owner: string;
  name: string;
  /** owner/name */
  repo: string;
  paths: string[];
  exclude: string[];
  createPr: boolean;
  autoMerge: boolean;
  requireApprovals: number;
  reviewers: { users: string[]; teams: string[] };
  labels: string[];
  branch: string;
  draft: boolean;
  deleteOrphaned: boolean;
  onConflict: OnConflict;
}

/** Parse and validate a sync config; every problem names file:line:column. */
export function parseSyncConfig(text: string, file: string): SyncConfig {
  const config = parseConfig<SyncConfig>(text, file, syncConfigSchema);
  const problems: { instancePath: string; message: string }[] = [];
  config.targets.forEach((t, i) => {
    for (const key of ['paths', 'exclude'] as const) {
      (t[key] ?? []).forEach((glob, j) => {
        const problem = globProblem(glob);
        if (problem) problems.push({ instancePath: `/targets/${i}/${key}/${j}`, message: problem });
      });
    }
  });
  const seen = new Map<string, number>();
  config.targets.forEach((t, i) => {
    // One entry per repository: the sync state is per source, so two entries would undo each other's files.
    const key = t.repo.toLowerCase();
    if (seen.has(key)) {
      problems.push({
        instancePath: `/targets/${i}/repo`,
        message: `target ${t.repo} is listed twice (first at targets[${seen.get(key)}]); merge the entries (list all their paths in one)`,
      });
    } else seen.set(key, i);
  });
  if (problems.length === 0) return config;
  const issues = locateIssues(
    text,
    file,
    problems.map((p) => ({ ...p, keyword: 'autocode', schemaPath: '', params: {} })),
  );
  const unsafe = problems.some((p) => /\/(paths|exclude)\//.test(p.instancePath));
  throw new AutocodeError(
    unsafe ? ErrorCodes.UNSAFE_PATH : ErrorCodes.CONFIG_INVALID,
    // One issue: its position is the error's location (describe() prefixes it); several: each names its own.
    issues.length === 1
      ? `${issues[0]!.key}: ${issues[0]!.message}`
      : issues
          .map((i) => `${i.location.file}:${i.location.line}:${i.location.column}: ${i.key}: ${i.message}`)
          .join('\n'),
    {
      location: issues[0]?.location,
      details: { issues },
      hint: 'globs are relative to the repository root and may not contain "..", start with "/" or reach into .git/',
    },
  );
}

/** The source repository's short name decides the default branch: `sync/<source-repo>`. */
export function defaultBranch(sourceRepo: string): string {
  return `sync/${sourceRepo.split('/').pop() ?? sourceRepo}`;
}

export function resolveTarget(t: SyncTargetConfig, sourceRepo: string): SyncTarget {
  const [owner = '', name = ''] = t.repo.split('/');
  const reviewers = t.reviewers ?? [];
  return {
    owner,
    name,
    repo: `${owner}/${name}`,
    paths: t.paths,
    exclude: t.exclude ?? [],
    createPr: t.create_pr ?? true,
    autoMerge: t.auto_merge ?? false,
    requireApprovals: t.require_approvals ?? 0,
    reviewers: {
      users: reviewers.filter((r) => !r.startsWith('team:')),
      // `team:slug` or `team:org/slug` (GitHub wants the slug only, within the target's organisation).
      teams: reviewers.filter((r) => r.startsWith('team:')).map((r) => r.slice(5).split('/').pop() ?? ''),
    },
    labels: t.labels ?? [],
    branch: t.branch ?? defaultBranch(sourceRepo),
    draft: t.draft ?? false,
    deleteOrphaned: t.delete_orphaned ?? true,
    onConflict: t.on_conflict ?? 'skip',
  };
}

export function resolveTargets(config: SyncConfig, sourceRepo: string): SyncTarget[] {
  return config.targets.map((t) => resolveTarget(t, sourceRepo));
}
