/**
 * The repository map: every candidate file with the symbols it exports, one line per file. It tells the
 * model where things live without spending tokens on bodies. Symbols come from per-language regular
 * expressions over declarations (no parser per language: the map is a guide, not a compiler).
 */

export interface MapEntry {
  path: string;
  symbols: string[];
}

type Extractor = (text: string) => string[];

const all = (re: RegExp, text: string, group = 1) =>
  [...text.matchAll(re)].map((m) => m[group]!).filter(Boolean);

const js: Extractor = (t) => [
  ...all(
    /^export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm,
    t,
  ),
  ...[...t.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((s) =>
        s
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim(),
      )
      .filter((s) => /^[\w$]+$/.test(s)),
  ),
  ...all(/^(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/gm, t),
  ...(/^export\s+default\s+(?!function|class|async)/m.test(t) ? ['default'] : []),
];
const python: Extractor = (t) =>
  all(/^(?:async\s+)?(?:def|class)\s+([A-Za-z]\w*)/gm, t).filter((n) => !n.startsWith('_'));
const go: Extractor = (t) => [
  ...all(/^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)/gm, t),
  ...all(/^type\s+([A-Z]\w*)/gm, t),
];
const rust: Extractor = (t) =>
  all(
    /^\s*pub(?:\([^)]*\))?\s+(?:async\s+)?(?:fn|struct|enum|trait|mod|type|const|static)\s+([A-Za-z_]\w*)/gm,
    t,
  );
const jvm: Extractor = (t) =>
  all(
    /^\s*public\s+(?:(?:static|final|abstract|sealed|async|override|virtual|partial)\s+)*(?:class|interface|enum|record|[\w<>[\],\s]+?)\s+([A-Za-z_]\w*)\s*[({<]/gm,
    t,
  );
const ruby: Extractor = (t) => all(/^\s*(?:def|class|module)\s+(?:self\.)?([A-Za-z_][\w?!]*)/gm, t);

const BY_EXT: Record<string, Extractor> = {
  ts: js,
  tsx: js,
  js: js,
  jsx: js,
  mjs: js,
  cjs: js,
  mts: js,
  cts: js,
  py: python,
  go,
  rs: rust,
  java: jvm,
  kt: jvm,
  cs: jvm,
  rb: ruby,
};

export function extractSymbols(path: string, text: string): string[] {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const extractor = BY_EXT[ext];
  return extractor ? [...new Set(extractor(text))] : [];
}

export function buildRepoMap(files: { path: string; content: string | undefined }[]): MapEntry[] {
  return files.map((f) => ({ path: f.path, symbols: f.content ? extractSymbols(f.path, f.content) : [] }));
}

/** One line per file: `path: a, b, c` (symbols capped per file so a barrel file cannot flood the map). */
export function renderRepoMap(entries: MapEntry[], maxSymbols = 12): string {
  return entries
    .map((e) => {
      if (e.symbols.length === 0) return e.path;
      const shown = e.symbols.slice(0, maxSymbols).join(', ');
      const more = e.symbols.length > maxSymbols ? `, … +${e.symbols.length - maxSymbols}` : '';
      return `${e.path}: ${shown}${more}`;
    })
    .join('\n');
}
