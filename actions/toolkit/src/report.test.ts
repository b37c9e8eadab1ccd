import { describe, expect, it } from '@jest/globals';
import { consoleReporter, markdownTable } from './report.js';

describe('reporting', () => {
  it('renders a Markdown table with escaped cells', () => {
    expect(markdownTable(['rule', 'outcome'], [['a|b', 'line1\nline2']])).toBe(
      '| rule | outcome |\n| --- | --- |\n| a\\|b | line1<br>line2 |',
    );
  });

  it('masks registered secrets in every line it prints', async () => {
    const lines: string[] = [];
    const r = consoleReporter((l) => lines.push(l));
    r.secret('ghs_supersecret');
    r.info('token is ghs_supersecret');
    r.annotate({ level: 'error', message: 'leaked ghs_supersecret', file: 'a.ts', line: 3 });
    r.table('Summary', ['k'], [['ghs_supersecret']]);
    await r.flush();
    expect(lines.join('\n')).not.toContain('ghs_supersecret');
    expect(lines[0]).toBe('token is ***');
    expect(lines[1]).toBe('error: a.ts:3: leaked ***');
  });
});
