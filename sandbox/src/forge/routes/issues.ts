/** Issues (pull requests included, as on GitHub), issue comments, repository labels and issue labels. */
import { iso } from '../core.js';
import { emitRepoEvent } from '../events.js';
import { ForgeHttpError, notFound, validationFailed } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, oneOf, optString, optStringArray, reqString } from '../body.js';
import { created, intParam, ok, okPage } from '../router.js';
import { commentJson, issueJson, labelJson, labelsOf } from '../shapes/issues.js';
import type { IssueRec, LabelRec } from '../types.js';
import type { RepoHandle } from './common.js';
import { loginOf, ofNumber, repoFor } from './common.js';

function findIssue(ctx: Ctx, key: string): IssueRec {
  const n = intParam(ctx, 'issue_number');
  const issue = ctx.core.store.state.issues[key]?.find((i) => i.number === n);
  if (!issue) throw notFound();
  return issue;
}

/** Labels named on an issue are created on the fly when missing, like GitHub does. */
function ensureLabels(ctx: Ctx, h: RepoHandle, names: string[]): string[] {
  const labels = ctx.core.store.list('labels', h.key);
  return names.map((name) => {
    const found = labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (found) return found.name;
    labels.push({ id: ctx.core.store.id(), name, color: 'ededed', description: null, default: false });
    return name;
  });
}

function labelNames(body: Record<string, unknown>): string[] | undefined {
  const raw = body.labels;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validationFailed([{ resource: 'Issue', field: 'labels', code: 'invalid' }]);
  return raw.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? '')));
}

async function createIssue(ctx: Ctx) {
  const h = repoFor(ctx, 'issues', 'write');
  const body = bodyObject(ctx);
  const now = iso(ctx.core.now());
  const issue: IssueRec = {
    id: ctx.core.store.id(),
    number: h.repo.nextNumber++,
    title: reqString(body, 'title', 'Issue'),
    body: optString(body, 'body', 'Issue') ?? null,
    user: loginOf(ctx),
    state: 'open',
    stateReason: null,
    labels: ensureLabels(ctx, h, labelNames(body) ?? []),
    assignees: optStringArray(body, 'assignees', 'Issue') ?? [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  ctx.core.store.list('issues', h.key).push(issue);
  ctx.core.store.save();
  const json = issueJson(ctx.core, h.repo, issue);
  emitRepoEvent(ctx.core, h.repo, 'issues', issue.user, { action: 'opened', issue: json });
  return created(json);
}

function listIssues(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'issues', 'read');
  const state = oneOf(ctx.query.get('state') ?? 'open', ['open', 'closed', 'all'] as const, 'state', 'Issue');
  const wanted = (ctx.query.get('labels') ?? '')
    .split(',')
    .filter(Boolean)
    .map((l) => l.toLowerCase());
  const creator = ctx.query.get('creator')?.toLowerCase();
  let issues = [...(ctx.core.store.state.issues[key] ?? [])];
  if (state !== 'all') issues = issues.filter((i) => i.state === state);
  if (wanted.length)
    issues = issues.filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)));
  if (creator) issues = issues.filter((i) => i.user.toLowerCase() === creator);
  issues.sort((a, b) => b.number - a.number);
  if (ctx.query.get('direction') === 'asc') issues.reverse();
  return okPage(ctx, issues, (i) => issueJson(ctx.core, repo, i));
}

function updateIssue(ctx: Ctx) {
  const h = repoFor(ctx, 'issues', 'write');
  const issue = findIssue(ctx, h.key);
  const body = bodyObject(ctx);
  const title = optString(body, 'title', 'Issue');
  const text = optString(body, 'body', 'Issue');
  const state = oneOf(optString(body, 'state', 'Issue'), ['open', 'closed'] as const, 'state', 'Issue');
  const labels = labelNames(body);
  const assignees = optStringArray(body, 'assignees', 'Issue');
  if (title !== undefined) issue.title = title;
  if (text !== undefined) issue.body = text;
  if (labels) issue.labels = ensureLabels(ctx, h, labels);
  if (assignees) issue.assignees = assignees;
  let action = 'edited';
  if (state && state !== issue.state && !issue.pull?.merged) {
    issue.state = state;
    issue.closedAt = state === 'closed' ? iso(ctx.core.now()) : null;
    issue.stateReason =
      state === 'closed' ? (optString(body, 'state_reason', 'Issue') ?? 'completed') : 'reopened';
    action = state === 'closed' ? 'closed' : 'reopened';
  }
  issue.updatedAt = iso(ctx.core.now());
  ctx.core.store.save();
  const json = issueJson(ctx.core, h.repo, issue);
  if (!issue.pull) emitRepoEvent(ctx.core, h.repo, 'issues', loginOf(ctx), { action, issue: json });
  return ok(json);
}

function createComment(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'issues', 'write');
  const issue = findIssue(ctx, key);
  const body = reqString(bodyObject(ctx), 'body', 'IssueComment');
  const now = iso(ctx.core.now());
  const comment = {
    id: ctx.core.store.id(),
    number: issue.number,
    user: loginOf(ctx),
    body,
    createdAt: now,
    updatedAt: now,
  };
  ctx.core.store.list('comments', key).push(comment);
  issue.updatedAt = now;
  ctx.core.store.save();
  const json = commentJson(ctx.core, repo, comment);
  emitRepoEvent(ctx.core, repo, 'issue_comment', comment.user, {
    action: 'created',
    issue: issueJson(ctx.core, repo, issue),
    comment: json,
  });
  return created(json);
}

function createLabel(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'issues', 'write');
  const body = bodyObject(ctx);
  const name = reqString(body, 'name', 'Label');
  const color = (optString(body, 'color', 'Label') ?? 'ededed').replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(color))
    throw validationFailed([{ resource: 'Label', field: 'color', code: 'invalid' }]);
  const labels = ctx.core.store.list('labels', key);
  if (labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
    throw validationFailed([{ resource: 'Label', field: 'name', code: 'already_exists' }]);
  }
  const label: LabelRec = {
    id: ctx.core.store.id(),
    name,
    color: color.toLowerCase(),
    description: optString(body, 'description', 'Label') ?? null,
    default: false,
  };
  labels.push(label);
  ctx.core.store.save();
  return created(labelJson(ctx.core, repo, label));
}

export function registerIssueRoutes(r: Router): void {
  r.add('POST', '/repos/{owner}/{repo}/issues', createIssue);
  r.add('GET', '/repos/{owner}/{repo}/issues', listIssues);
  r.add('GET', '/repos/{owner}/{repo}/issues/{issue_number}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'read');
    return ok(issueJson(ctx.core, repo, findIssue(ctx, key)));
  });
  r.add('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', updateIssue);
  r.add('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', createComment);
  r.add('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'read');
    const comments = ofNumber(ctx.core.store.state.comments[key], findIssue(ctx, key).number);
    return okPage(ctx, comments, (c) => commentJson(ctx.core, repo, c));
  });
  r.add('POST', '/repos/{owner}/{repo}/labels', createLabel);
  r.add('GET', '/repos/{owner}/{repo}/labels', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'read');
    return okPage(ctx, ctx.core.store.state.labels[key] ?? [], (l) => labelJson(ctx.core, repo, l));
  });
  r.add('GET', '/repos/{owner}/{repo}/labels/{name}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'read');
    const name = (ctx.params.name ?? '').toLowerCase();
    const label = (ctx.core.store.state.labels[key] ?? []).find((l) => l.name.toLowerCase() === name);
    if (!label) throw notFound();
    return ok(labelJson(ctx.core, repo, label));
  });
  r.add('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const h = repoFor(ctx, 'issues', 'write');
    const issue = findIssue(ctx, h.key);
    const body = Array.isArray(ctx.body) ? { labels: ctx.body } : bodyObject(ctx);
    const names = ensureLabels(ctx, h, labelNames(body) ?? []);
    for (const n of names) if (!issue.labels.includes(n)) issue.labels.push(n);
    issue.updatedAt = iso(ctx.core.now());
    ctx.core.store.save();
    return ok(labelsOf(ctx.core, h.repo, issue.labels));
  });
  r.add('GET', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'read');
    return ok(labelsOf(ctx.core, repo, findIssue(ctx, key).labels));
  });
  r.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'issues', 'write');
    const issue = findIssue(ctx, key);
    const name = (ctx.params.name ?? '').toLowerCase();
    if (!issue.labels.some((l) => l.toLowerCase() === name))
      throw new ForgeHttpError(404, 'Label does not exist');
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name);
    ctx.core.store.save();
    return ok(labelsOf(ctx.core, repo, issue.labels));
  });
}
