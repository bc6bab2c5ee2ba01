/**
 * The page's main thread loads no tfjs value, not even through a module it imports: ESLint checks
 * each file's own imports (boundaries.test.ts); this follows the value imports from the pages'
 * entries through every module they reach. Workers are started from a URL, not imported, so the
 * walk stops at them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/** The entries of index.html and bench.html: what runs on the page's main thread. */
const PAGE_ENTRIES = ['src/main.tsx', 'src/bench/page.ts'];

const TFJS = /^@tensorflow\//;

/** The module specifiers `text` imports values from: static, `export … from` and `import()`. */
function valueImports(fileName: string, text: string): string[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean =>
    elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (!clause.name && bindings !== undefined && ts.isNamedImports(bindings) && allTypes(bindings.elements)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const names = node.exportClause;
      const typeOnly = node.isTypeOnly || (names !== undefined && ts.isNamedExports(names) && allTypes(names.elements));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg !== undefined && ts.isStringLiteralLike(arg)) found.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A module graph to walk: the file a relative specifier names, and a file's text. */
interface Sources {
  resolve(from: string, specifier: string): string | null;
  read(file: string): string;
}

const CANDIDATE_SUFFIXES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

const disk: Sources = {
  resolve(from, specifier) {
    const base = resolve(dirname(from), specifier);
    return CANDIDATE_SUFFIXES.map((s) => base + s).find((f) => existsSync(f) && statSync(f).isFile()) ?? null;
  },
  read: (file) => readFileSync(file, 'utf8'),
};

/** Every chain of value imports from `entries` that ends at a tfjs package, and the files reached. */
function tfjsChains(entries: readonly string[], sources: Sources): { chains: string[][]; reached: Set<string> } {
  const chains: string[][] = [];
  const reached = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const specifier of valueImports(file, sources.read(file))) {
      if (TFJS.test(specifier)) chains.push([...path, specifier]);
      if (!specifier.startsWith('.')) continue;
      const next = sources.resolve(file, specifier);
      if (next === null) throw new Error(`${file}: cannot resolve ${specifier}`);
      if (/\.tsx?$/.test(next)) visit(next, [...path, next]); // not a stylesheet
    }
  };
  for (const entry of entries) visit(entry, [entry]);
  return { chains, reached };
}

describe("the page's main thread imports no tfjs value", () => {
  it('from its entries, through every module they reach', () => {
    const { chains, reached } = tfjsChains(
      PAGE_ENTRIES.map((e) => resolve(root, e)),
      disk,
    );
    expect(chains.map((chain) => chain.map((f) => (f.startsWith('/') ? relative(root, f) : f)).join(' → '))).toEqual([]);
    // The walk went through the page: the UI, the store and the engine modules they use.
    const dirs = new Set([...reached].map((f) => relative(root, dirname(f))));
    for (const dir of ['src/ui', 'src/store', 'src/engine', 'src/bench']) expect(dirs).toContain(dir);
  });

  describe('the walk', () => {
    const files: Record<string, string> = {
      '/p/main.tsx': "import { a } from './a';\nimport type { Lazy } from './lazy';\nexport const x = [a];",
      '/p/a.ts':
        "import type { Tensor } from '@tensorflow/tfjs';\nimport { type B } from './b';\nexport { c } from './c';\nexport const a = 1;",
      '/p/b.ts': "import * as tf from '@tensorflow/tfjs';\nexport type B = tf.Tensor;",
      '/p/c.ts': "export const c = () => import('./d');",
      '/p/d.ts': "import { tensor } from '@tensorflow/tfjs-core';\nexport const d = tensor;",
      '/p/lazy.ts': "import '@tensorflow/tfjs-backend-webgpu';\nexport type Lazy = number;",
    };
    const memory: Sources = {
      resolve: (from, specifier) => {
        const file = resolve(dirname(from), specifier) + '.ts';
        return file in files ? file : null;
      },
      read: (file) => files[file],
    };

    it('finds a tfjs value behind re-exports and import(), and names the chain', () => {
      expect(tfjsChains(['/p/main.tsx'], memory).chains).toEqual([
        ['/p/main.tsx', '/p/a.ts', '/p/c.ts', '/p/d.ts', '@tensorflow/tfjs-core'],
      ]);
    });

    it('does not follow type-only imports', () => {
      const { reached } = tfjsChains(['/p/main.tsx'], memory);
      expect(reached.has('/p/b.ts')).toBe(false);
      expect(reached.has('/p/lazy.ts')).toBe(false);
    });

    it('counts a side-effect import and a value import beside a type', () => {
      expect(valueImports('x.ts', "import '@tensorflow/tfjs-backend-webgpu';")).toEqual(['@tensorflow/tfjs-backend-webgpu']);
      expect(valueImports('x.ts', "import { type Tensor, tensor } from '@tensorflow/tfjs';")).toEqual(['@tensorflow/tfjs']);
      expect(
        valueImports('x.tsx', "import type * as tf from '@tensorflow/tfjs';\nexport type { Tensor } from '@tensorflow/tfjs';"),
      ).toEqual([]);
    });
  });
});
