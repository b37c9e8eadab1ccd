/**
 * Reporting port: job-summary tables, file/line annotations, grouped logs and secret masking. The actions
 * implementation writes through @actions/core; the console one serves the CLI and tests. Every token handed
 * to `secret()` is masked (core.setSecret) before anything else is logged.
 */
import * as core from '@actions/core';
import type { Logger } from './logger.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
}

export interface Reporter extends Logger {
  /** Mask a value in every later log line. */
  secret(value: string): void;
  annotate(annotation: Annotation): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Add a heading and a table to the run summary. */
  table(title: string, headers: string[], rows: string[][]): void;
  /** Add free Markdown to the run summary. */
  markdown(text: string): void;
  /** Flush the summary (job summary file, or stdout for the CLI). */
  flush(): Promise<void>;
}

/** Escape a cell for a Markdown table. */
export function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const head = `| ${headers.map(mdCell).join(' | ')} |`;
  const sep = `| ${headers.map(() => '---').join(' | ')} |`;
  return [head, sep, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}

export function actionsReporter(): Reporter {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    secret: (v) => {
      if (v) core.setSecret(v);
    },
    annotate: (a) => {
      const props: core.AnnotationProperties = {
        title: a.title,
        file: a.file,
        startLine: a.line,
        endLine: a.endLine,
        startColumn: a.column,
      };
      if (a.level === 'error') core.error(a.message, props);
      else if (a.level === 'warning') core.warning(a.message, props);
      else core.notice(a.message, props);
    },
    group: (name, fn) => core.group(name, fn),
    table: (title, headers, rows) => {
      core.summary.addHeading(title, 3).addRaw(markdownTable(headers, rows), true).addEOL();
    },
    markdown: (text) => {
      core.summary.addRaw(text, true);
    },
    flush: async () => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
    },
  };
}

/** Console reporter: plain text for humans; masks registered secrets in everything it prints. */
export function consoleReporter(out: (line: string) => void = (l) => console.log(l)): Reporter {
  const secrets = new Set<string>();
  const mask = (s: string) => [...secrets].reduce((acc, v) => acc.split(v).join('***'), s);
  const emit = (s: string) => out(mask(s));
  const parts: string[] = [];
  return {
    debug: () => {},
    info: (m) => emit(m),
    warning: (m) => emit(`warning: ${m}`),
    error: (m) => emit(`error: ${m}`),
    secret: (v) => {
      if (v) secrets.add(v);
    },
    annotate: (a) => {
      const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}${a.column ? `:${a.column}` : ''}: ` : '';
      emit(`${a.level}: ${where}${a.title ? `${a.title}: ` : ''}${a.message}`);
    },
    group: async (name, fn) => {
      emit(`== ${name}`);
      return fn();
    },
    table: (title, headers, rows) => {
      parts.push(`${title}\n${markdownTable(headers, rows)}`);
    },
    markdown: (text) => {
      parts.push(text);
    },
    flush: async () => {
      for (const p of parts.splice(0)) emit(p);
    },
  };
}
