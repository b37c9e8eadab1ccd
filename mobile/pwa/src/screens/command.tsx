/**
 * Command input: a command for a target repository, free text, and for codegen optionally a prompt template,
 * chosen the way codegen documents it (the text starts with `/<template>`). Submitting shows the job the edge
 * created. The Idempotency-Key is fixed per draft, so a retry after a lost answer cannot create a second job.
 */
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { describeError } from '../api/client.js';
import type { CommandAccepted, CommandBody, CommandName } from '../api/types.js';
import { COMMAND_LABELS } from '../api/types.js';
import { useApp } from '../context.js';
import { href } from '../router.js';
import { templates } from '../templates.js';
import { ErrorLine, Heading } from '../components/ui.js';

const REPO = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const RECENT = 'autocode.recentRepos';

const recentRepos = (): string[] => JSON.parse(localStorage.getItem(RECENT) ?? '[]') as string[];

function remember(repo: string): void {
  localStorage.setItem(
    RECENT,
    JSON.stringify([repo, ...recentRepos().filter((r) => r !== repo)].slice(0, 8)),
  );
}

export default function CommandScreen() {
  const { api, online } = useApp();
  const [repo, setRepo] = useState(() => recentRepos()[0] ?? '');
  const [command, setCommand] = useState<CommandName>('codegen');
  const [templateId, setTemplateId] = useState('');
  const [prompt, setPrompt] = useState('');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<CommandAccepted & { repo: string }>();
  const template = useMemo(() => templates.find((t) => t.id === templateId), [templateId]);
  const repoValid = REPO.test(repo);

  const usesTemplate = command === 'codegen' && !!template;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!repoValid) return setError('Target repository must look like owner/name.');
    if (command === 'codegen' && !prompt.trim()) return setError('Say what should change.');
    const body: CommandBody = { repo, command };
    const text = prompt.trim();
    if (text) body.prompt = usesTemplate ? `/${template.id} ${text}` : text;
    setBusy(true);
    setError(undefined);
    try {
      const job = await api.submitCommand(body, key);
      remember(repo);
      setCreated({ ...job, repo });
      setKey(crypto.randomUUID());
      setPrompt('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <Heading>New command</Heading>
      <form onSubmit={submit} noValidate>
        <label htmlFor="repo">Target repository</label>
        <input
          id="repo"
          name="repo"
          list="recent-repos"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          placeholder="owner/name"
          value={repo}
          onChange={(e) => setRepo(e.target.value.trim())}
          aria-invalid={repo !== '' && !repoValid}
          required
        />
        <datalist id="recent-repos">
          {recentRepos().map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>

        <label htmlFor="command">Command</label>
        <select id="command" value={command} onChange={(e) => setCommand(e.target.value as CommandName)}>
          {Object.entries(COMMAND_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>

        {command === 'codegen' && templates.length > 0 ? (
          <>
            <label htmlFor="template">Template</label>
            <select
              id="template"
              value={templateId}
              onChange={(e) => setTemplateId(e.target.value)}
              aria-describedby="template-help"
            >
              <option value="">Chosen from your words</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <p className="hint" id="template-help">
              {template?.description ?? 'Codegen picks the template that fits the request.'}
            </p>
          </>
        ) : null}

        <label htmlFor="prompt">What should change?</label>
        <textarea
          id="prompt"
          rows={5}
          maxLength={16000}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder="Describe the change in plain words"
        />

        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy || !online}>
          {busy ? 'Submitting…' : 'Submit command'}
        </button>
        {!online ? <p className="hint">Offline: commands cannot be sent (they are never queued).</p> : null}
      </form>

      {created ? (
        <div className="card" role="status" aria-live="polite">
          <p>
            Job <code>{created.job_id.slice(0, 8)}</code> for {created.repo} is {created.state}.
          </p>
          <a className="button" href={href({ name: 'job', id: created.job_id })}>
            Watch job
          </a>
        </div>
      ) : null}
    </section>
  );
}
