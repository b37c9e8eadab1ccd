/**
 * Read-only diff of one file: a table of old/new line numbers and code. Additions and deletions are announced
 * in words (visually hidden) so the change does not rely on color; long lines scroll inside a focusable region.
 * Files over LARGE_LINES start collapsed to keep phones responsive.
 */
import { useMemo, useState } from 'react';
import type { PrFile } from '../api/types.js';
import { parsePatch } from './diff.js';

const LARGE_LINES = 400;
const SIGN = { add: '+', del: '−', ctx: ' ', hunk: '', note: '' } as const;
const SPOKEN = { add: 'added', del: 'removed', ctx: '', hunk: '', note: '' } as const;

export function DiffView({ file }: { file: PrFile }) {
  const lines = useMemo(() => (file.patch ? parsePatch(file.patch) : []), [file.patch]);
  const [open, setOpen] = useState(lines.length <= LARGE_LINES);
  const headingId = `file-${file.filename.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <section className="diff-file" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span className="filename">{file.filename}</span>{' '}
        <span className="meta">
          {file.status} · <span className="adds">+{file.additions}</span>{' '}
          <span className="dels">−{file.deletions}</span>
        </span>
      </h3>
      {!file.patch ? (
        <p className="hint">No text diff (binary file, or too large for GitHub to show).</p>
      ) : !open ? (
        <button type="button" onClick={() => setOpen(true)}>
          Show {lines.length} diff lines
        </button>
      ) : (
        <div className="diff-scroll" tabIndex={0} role="region" aria-label={`Diff of ${file.filename}`}>
          <table className="diff">
            <thead className="sr-only">
              <tr>
                <th scope="col">Old line</th>
                <th scope="col">New line</th>
                <th scope="col">Code</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) =>
                l.kind === 'hunk' || l.kind === 'note' ? (
                  <tr key={i} className={l.kind}>
                    <td colSpan={3}>{l.text}</td>
                  </tr>
                ) : (
                  <tr key={i} className={l.kind}>
                    <td className="no">{l.oldNo ?? ''}</td>
                    <td className="no">{l.newNo ?? ''}</td>
                    <td className="code">
                      {SPOKEN[l.kind] ? <span className="sr-only">{SPOKEN[l.kind]}: </span> : null}
                      <span aria-hidden="true" className="sign">
                        {SIGN[l.kind]}
                      </span>
                      {l.text}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
