// `npm run lint:cycles` (part of `npm run lint` and `npm test`): fails when folders import each
// other in a circle (lib/privacy → lib/mail → lib/privacy). Cycles between files inside one folder
// are allowed; between folders they hide which layer depends on which. Folders are the unit a
// reader thinks in: app, components, scripts, and the second level of lib/ and db/ (lib/privacy,
// db/store). Tests are left out: they may reach across as they like.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'scripts'];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js'];
const isTest = (file) =>
  /\.(test|spec)\.[mc]?[jt]sx?$/.test(file) || file.includes(`${path.sep}test${path.sep}`);

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'migrations') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts'))
      out.push(full);
  }
  return out;
}

/**
 * The unit a file belongs to: each domain folder of lib/ (lib/privacy; a file directly in lib/ such
 * as lib/result.ts is its own unit), and db, app, components, scripts as wholes (db is one layer).
 */
export function folderOf(relative) {
  const parts = relative.split(/[\\/]/);
  if (parts[0] === 'lib') return `lib/${parts[1].replace(/\.[^.]+$/, '')}`;
  return parts[0];
}

function resolveImport(fromFile, specifier) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile()) ?? null;
}

/** Every module a file imports or re-exports (type-only imports included: they still couple folders). */
function importsOf(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const specifiers = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      specifiers.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Folder graph with, for each edge, one file-level import that makes it (for the message). */
export function folderGraph() {
  const edges = new Map();
  for (const dir of SOURCE_DIRS) {
    if (!fs.existsSync(path.join(root, dir))) continue;
    for (const file of listFiles(path.join(root, dir))) {
      if (isTest(file)) continue;
      const from = folderOf(path.relative(root, file));
      for (const specifier of importsOf(file)) {
        const target = resolveImport(file, specifier);
        if (!target || isTest(target)) continue;
        const relativeTarget = path.relative(root, target);
        if (relativeTarget.startsWith('..') || relativeTarget.startsWith('tests')) continue;
        const to = folderOf(relativeTarget);
        if (to === from) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from).has(to))
          edges.get(from).set(to, `${path.relative(root, file)} imports ${specifier}`);
      }
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan). */
export function folderCycles(edges) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const connect = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indices.get(next)));
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!indices.has(node)) connect(node);
  return cycles;
}

function main() {
  const edges = folderGraph();
  const cycles = folderCycles(edges);
  if (cycles.length === 0) {
    console.log(
      `import cycles: none between ${new Set([...edges.keys(), ...[...edges.values()].flatMap((to) => [...to.keys()])]).size} folders`,
    );
  } else {
    console.error(
      'Folders that import each other in a circle (break the cycle: move the shared part down a layer):',
    );
    for (const cycle of cycles) {
      console.error(`\n  ${cycle.join(' ↔ ')}`);
      for (const from of cycle)
        for (const [to, why] of edges.get(from) ?? [])
          if (cycle.includes(to)) console.error(`    ${from} → ${to}: ${why}`);
    }
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname))
  main();
