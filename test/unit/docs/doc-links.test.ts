/**
 * The project's documentation is part of the repository (docs/), and the code cites it as
 * `docs/<file>.md §<section>` or `docs/<file>.md "<heading>"`. This test keeps those citations true:
 * every cited file exists, every cited section number or heading exists in it, every cited
 * known-answer vector exists, relative links in the Markdown files resolve, and nothing points
 * outside the repository any more (the old shared design and docs folder).
 *
 * The checker is pure (texts in, problems out); the first block runs it on the repository, the
 * second feeds it broken inputs to show that each kind of problem is caught. This file itself is
 * left out of the repository scan because it has to spell out the patterns it looks for.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const THIS_FILE = path.relative(ROOT, fileURLToPath(import.meta.url));
const SCAN_DIRS = ['src-main', 'src-shared', 'src-renderer', 'test', 'bench', 'native', 'resources', 'docs'];
const SCAN_FILES = ['README.md', 'ARCHITECTURE.md'];
const TEXT_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|c|cc|cpp|h|hpp|md|json|ya?ml|rules|service|html|css|txt|gyp)$/;
const SKIP_DIRS = new Set(['node_modules', 'build', 'out', 'dist']);

/** A section token: `3.8`, `8.6a`, `3`, or a lettered one as in features.md: `(e)1`, `(d)`. */
const SECTION = String.raw`§\s?(\d+(?:\.\d+)*[a-z]?|\([a-z]\)\d*)`;
/** Between two section tokens of one citation: `, `, ` and `, `–`, `/`. */
const SECTION_JOIN = String.raw`\s*(?:,|and|or|–|-|/)\s*`;
/** A citation may continue on the next comment line (` * ` or `// `). */
const GAP = String.raw`[ \t]*(?:\r?\n[ \t]*(?:\*|\/\/)?[ \t]*)?`;
const SECTION_LIST = new RegExp(`^${GAP}(${SECTION}(?:${SECTION_JOIN}${SECTION})*)`);
const QUOTED_HEADING = new RegExp(`^${GAP}"([^"\\n]+)"`);
/** A § that is not followed by a section number. */
const SECTION_MARK = new RegExp(`^${GAP}(§\\s?[^\\s,;.)]*)`);
const DOC_REFERENCE = /(?<![\w./-])docs\/([a-z0-9-]+)\.md/g;
const VECTOR_REFERENCE = /(?<![\w./-])docs\/vectors\/([\w.-]+\.json)/g;
const MARKDOWN_LINK = /\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Texts that point outside the repository (each built so that it does not match itself). */
const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(String.raw`\.\./shared\b`), 'a path into the shared folder outside the repository'],
  [new RegExp(String.raw`\bshared/docs\b`), 'the shared docs folder outside the repository'],
  [new RegExp(['DESIGN', 'md'].join(String.raw`\.`)), 'the design page outside the repository (use docs/design.md or docs/cli.md)'],
];

export interface SourceText {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  text: string;
}

export interface DocIndex {
  /** Section numbers of the headings, without a trailing dot (`3.8`, `(e)1`). */
  numbers: Set<string>;
  /** Heading texts, lower case, with and without their number. */
  titles: string[];
}

export function indexHeadings(markdown: string): DocIndex {
  const numbers = new Set<string>();
  const titles: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const text = h[1]!;
    const num = /^(\d+(?:\.\d+)*[a-z]?|\([a-z]\)\d*)\.?(?=\s|$)\s*(.*)$/.exec(text);
    if (num) {
      numbers.add(num[1]!);
      titles.push(num[2]!.toLowerCase());
    }
    titles.push(text.toLowerCase());
  }
  return { numbers, titles };
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Problems with the references in `sources`. `docs` maps a doc name (`bm13xx-protocol`) to its
 * Markdown; `fileExists` answers for repository-relative paths (links and vectors).
 */
export function findProblems(sources: readonly SourceText[], docs: ReadonlyMap<string, string>, fileExists: (repoPath: string) => boolean): string[] {
  const problems: string[] = [];
  const indexes = new Map<string, DocIndex>();
  const indexOf = (name: string): DocIndex | null => {
    const md = docs.get(name);
    if (md === undefined) return null;
    if (!indexes.has(name)) indexes.set(name, indexHeadings(md));
    return indexes.get(name)!;
  };

  for (const { file, text } of sources) {
    const where = (index: number): string => `${file}:${lineOf(text, index)}`;

    for (const [pattern, what] of FORBIDDEN) {
      const global = new RegExp(pattern.source, 'g');
      for (const m of text.matchAll(global)) problems.push(`${where(m.index)}: "${m[0]}" refers to ${what}`);
    }

    /** Positions of § tokens already checked as part of a `docs/<file>.md §…` citation. */
    const checkedAt = new Set<number>();
    for (const m of text.matchAll(DOC_REFERENCE)) {
      const name = m[1]!;
      const cited = `docs/${name}.md`;
      const index = indexOf(name);
      if (!index) {
        problems.push(`${where(m.index)}: ${cited} does not exist`);
        continue;
      }
      const restAt = m.index + m[0].length;
      const rest = text.slice(restAt, restAt + 300);
      const list = SECTION_LIST.exec(rest);
      if (list) {
        const listAt = restAt + list[0].length - list[1]!.length;
        for (const s of list[1]!.matchAll(new RegExp(SECTION, 'g'))) {
          checkedAt.add(listAt + s.index);
          if (!index.numbers.has(s[1]!)) problems.push(`${where(m.index)}: ${cited} has no section §${s[1]}`);
        }
        continue;
      }
      const quoted = QUOTED_HEADING.exec(rest);
      if (quoted) {
        const wanted = quoted[1]!.toLowerCase();
        if (!index.titles.some((t) => t.startsWith(wanted))) problems.push(`${where(m.index)}: ${cited} has no heading "${quoted[1]}"`);
        continue;
      }
      const unknown = SECTION_MARK.exec(rest);
      if (unknown) problems.push(`${where(m.index)}: ${cited} ${unknown[1]}: not a section number (write §3.8, §(e)1 or a quoted heading)`);
    }

    // A bare §n.n (no file named before it) must be a section of a doc this file cites, or of
    // the doc itself when the file is one of docs/*.md. Files that cite no doc (a C file quoting
    // FIPS 180-4, say) are left alone.
    const ownDoc = /^docs\/([a-z0-9-]+)\.md$/.exec(file)?.[1];
    const names = new Set([...text.matchAll(DOC_REFERENCE)].map((m) => m[1]!));
    if (ownDoc) names.add(ownDoc);
    const scope = [...names].map(indexOf).filter((d): d is DocIndex => d !== null);
    if (scope.length > 0) {
      for (const s of text.matchAll(new RegExp(SECTION, 'g'))) {
        if (checkedAt.has(s.index)) continue;
        if (!scope.some((d) => d.numbers.has(s[1]!))) problems.push(`${where(s.index)}: §${s[1]} is not a section of ${[...names].map((n) => `docs/${n}.md`).join(' or ')}`);
      }
    }

    for (const m of text.matchAll(VECTOR_REFERENCE)) {
      if (!fileExists(`docs/vectors/${m[1]}`)) problems.push(`${where(m.index)}: docs/vectors/${m[1]} does not exist`);
    }

    if (file.endsWith('.md')) {
      for (const m of text.matchAll(MARKDOWN_LINK)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const relative = target.replace(/[?#].*$/, '');
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), relative));
        if (resolved.startsWith('..') || !fileExists(resolved)) problems.push(`${where(m.index)}: link ${target} does not resolve`);
      }
    }
  }
  return problems;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...listFiles(rel));
    } else if (TEXT_FILE.test(entry.name)) out.push(rel);
  }
  return out;
}

function repositorySources(): SourceText[] {
  const files = [...SCAN_DIRS.filter((d) => existsSync(path.join(ROOT, d))).flatMap(listFiles), ...SCAN_FILES];
  return files.filter((f) => f !== THIS_FILE.split(path.sep).join('/')).map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
}

function repositoryDocs(): Map<string, string> {
  const docs = new Map<string, string>();
  for (const name of readdirSync(path.join(ROOT, 'docs'))) {
    if (name.endsWith('.md')) docs.set(name.slice(0, -3), readFileSync(path.join(ROOT, 'docs', name), 'utf8'));
  }
  return docs;
}

const repoFileExists = (repoPath: string): boolean => existsSync(path.join(ROOT, repoPath));

describe('documentation references in the repository', () => {
  const sources = repositorySources();
  const docs = repositoryDocs();

  it('scans the code, the tests and the docs', () => {
    for (const dir of ['src-main', 'src-shared', 'src-renderer', 'test', 'bench', 'docs']) {
      expect(
        sources.some((s) => s.file.startsWith(`${dir}/`)),
        dir,
      ).toBe(true);
    }
    expect([...docs.keys()].sort()).toEqual(expect.arrayContaining(['bm13xx-protocol', 'cli', 'design', 'stratum-and-gbt']));
    // Sanity: the scan sees the citations it is meant to check.
    const citations = sources.reduce((n, s) => n + [...s.text.matchAll(DOC_REFERENCE)].length, 0);
    expect(citations).toBeGreaterThan(100);
  });

  it('every cited doc, section, heading, vector and Markdown link exists, and nothing points outside the repository', () => {
    expect(findProblems(sources, docs, repoFileExists)).toEqual([]);
  });

  it('the known-answer vectors the tests load are in docs/vectors', () => {
    for (const name of ['stratum-messages.json', 'block-125552.json', 'regtest-height1-derived.json', 'address-scripts.json', 'bits-difficulty-bip34.json']) {
      const file = path.join(ROOT, 'docs', 'vectors', name);
      expect(statSync(file).size, name).toBeGreaterThan(0);
      expect(() => JSON.parse(readFileSync(file, 'utf8')), name).not.toThrow();
    }
  });
});

describe('the checker reports broken references', () => {
  const docs = new Map([
    ['proto', '# Proto\n\n## 1. Frames\n\n### 1.1 Command frame\n\n### 8.6a Capture\n\n```\n### 9.9 inside a code block\n```\n'],
    ['feat', '# Feat\n\n## (d) Board tests\n\n### (e)1 cgminer API\n'],
    ['design', '# Design\n\n## 3. Never lose\n'],
  ]);
  const exists = (p: string): boolean => ['docs/proto.md', 'docs/vectors/a.json', 'README.md'].includes(p);
  const check = (text: string, file = 'src-main/x.ts'): string[] => findProblems([{ file, text }], docs, exists);

  it('accepts references that resolve', () => {
    expect(check('// docs/proto.md §1.1, §1 and §8.6a; docs/feat.md §(e)1, §(d); docs/design.md §3; docs/vectors/a.json')).toEqual([]);
    expect(check('/** Frames (docs/proto.md\n * §1.1–§1). */')).toEqual([]);
  });

  it('a missing file', () => {
    expect(check('see docs/nope.md §1')).toEqual(['src-main/x.ts:1: docs/nope.md does not exist']);
  });

  it('a missing section, anywhere in a list or range, on the right line', () => {
    expect(check('// docs/proto.md §1.2')).toEqual(['src-main/x.ts:1: docs/proto.md has no section §1.2']);
    expect(check('\n\n// docs/proto.md §1.1–§1.7, §9.9')).toEqual(['src-main/x.ts:3: docs/proto.md has no section §1.7', 'src-main/x.ts:3: docs/proto.md has no section §9.9']);
    expect(check('// docs/feat.md §(e)2')).toEqual(['src-main/x.ts:1: docs/feat.md has no section §(e)2']);
  });

  it('a section mark without a section number', () => {
    expect(check('// docs/feat.md §c')).toEqual(['src-main/x.ts:1: docs/feat.md §c: not a section number (write §3.8, §(e)1 or a quoted heading)']);
  });

  it('a bare section that none of the cited docs has', () => {
    expect(check('// docs/proto.md §1.1 (frames); the capture is in §8.6a, the header in §2.3')).toEqual(['src-main/x.ts:1: §2.3 is not a section of docs/proto.md']);
    expect(findProblems([{ file: 'docs/proto.md', text: '# Proto\n\n## 1. Frames\n\nSee §1 and §4.' }], new Map([['proto', '# Proto\n\n## 1. Frames\n']]), exists)).toEqual([
      'docs/proto.md:5: §4 is not a section of docs/proto.md',
    ]);
    expect(check('// FIPS 180-4 §6.2.2, no docs cited here')).toEqual([]);
  });

  it('a missing quoted heading', () => {
    expect(check('// docs/design.md "Security"')).toEqual(['src-main/x.ts:1: docs/design.md has no heading "Security"']);
  });

  it('a missing vector', () => {
    expect(check("load('docs/vectors/b.json')")).toEqual(['src-main/x.ts:1: docs/vectors/b.json does not exist']);
  });

  it('references that leave the repository', () => {
    const outside = ['..', 'shared', 'docs', 'vectors'].join('/');
    const design = ['DESIGN', 'md'].join('.');
    const problems = check(`const v = '${outside}';\n// ${design} "Never lose"`);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^src-main\/x\.ts:1: .*outside the repository/);
    expect(problems[2]).toMatch(/^src-main\/x\.ts:2: .*design page/);
  });

  it('relative Markdown links that do not resolve', () => {
    const md = '[proto](proto.md) [vector](vectors/a.json) [up](../README.md) [web](https://example.org/x.md) [here](#frames)\n[gone](vectors/b.json) [out](../../etc/passwd)';
    expect(findProblems([{ file: 'docs/index.md', text: md }], docs, exists)).toEqual([
      'docs/index.md:2: link vectors/b.json does not resolve',
      'docs/index.md:2: link ../../etc/passwd does not resolve',
    ]);
  });
});
