// @ts-check
// Lint for Larder: a modest rule set (ESLint's and typescript-eslint's `recommended`, React's hooks rules) plus
// the layer rules that keep the architecture honest. The layer rules are a small local rule, `larder/layers`,
// rather than `no-restricted-imports`: that rule only sees the import text, so '../index.ts' from src/main/core
// and from src/main/core/vault would need one block per folder depth (and blocks that configure the same rule
// replace each other's options). `larder/layers` resolves relative imports to repository paths and checks them
// against one table, so each layer is stated once, as an allow-list.
import { isBuiltin } from 'node:module'
import path from 'node:path'
import js from '@eslint/js'
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs'
import { defineConfig } from 'eslint/config'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const ROOT = import.meta.dirname

/** @param {string} file @param {string} dir */
const isUnder = (file, dir) => file.startsWith(`${dir}/`)

/**
 * Where Electron may be imported: its adapters (src/main/electron, the Electron host among them), the host's
 * entry point, the preload, the tests that mock or launch it, and `npm start`'s launcher (which reads the
 * version of the Electron package it is about to run).
 */
const ELECTRON_HOSTS = ['src/main/electron', 'src/preload', 'test/unit/electron']
const ELECTRON_HOST_FILES = [
  'src/main/index.ts',
  'scripts/start.ts',
  'test/e2e/electron-app.spec.ts',
  'test/unit/host/electron-host.test.ts'
]
const ELECTRON_PACKAGE = /^(?:electron|electron-store|@electron-toolkit\/.+)$/

/**
 * @typedef {{ kind: 'relative', target: string } | { kind: 'builtin' } | { kind: 'package', name: string }} Import
 * @typedef {{ layer: string, applies: (file: string) => boolean, check: (found: Import) => string | undefined }} Layer
 */

/**
 * Each layer: which files it covers and what they may not import (undefined: allowed). The first sentence of
 * each message names the rule, so a failure says which promise was broken rather than which pattern matched.
 * @type {Layer[]}
 */
export const LAYERS = [
  {
    layer: 'Electron stays in its adapters',
    applies: (file) => !ELECTRON_HOSTS.some((dir) => isUnder(file, dir)) && !ELECTRON_HOST_FILES.includes(file),
    check: (found) =>
      found.kind === 'package' && ELECTRON_PACKAGE.test(found.name)
        ? `only src/main/electron/**, src/main/index.ts and src/preload/** may import '${found.name}'; ` +
          'everything else is given what it needs through a port, so it runs (and is tested) in plain Node'
        : undefined
  },
  {
    layer: 'The renderer is a web page',
    applies: (file) => isUnder(file, 'src/renderer'),
    check: (found) => {
      if (found.kind === 'builtin') return 'it has no Node built-ins; ask the main process through the bridge'
      if (found.kind === 'relative' && !isUnder(found.target, 'src/renderer') && !isUnder(found.target, 'src/shared'))
        return `it may import src/renderer and src/shared only, not ${found.target}; the main process is reached through the bridge (window.larder)`
      return undefined
    }
  },
  {
    layer: 'The core knows no host',
    applies: (file) => isUnder(file, 'src/main/core'),
    check: (found) =>
      found.kind === 'relative' && !isUnder(found.target, 'src/main/core') && !isUnder(found.target, 'src/shared')
        ? `src/main/core may import src/main/core and src/shared only, not ${found.target}; ` +
          'the renderer, the Electron adapters, the app layer, index.ts, the hosts and the tests depend on the core, never the reverse'
        : undefined
  },
  {
    layer: 'The app is host-free',
    applies: (file) => isUnder(file, 'src/main/app'),
    check: (found) =>
      found.kind === 'relative' && !['src/main/app', 'src/main/core', 'src/shared'].some((dir) => isUnder(found.target, dir))
        ? `src/main/app may import src/main/app, src/main/core and src/shared only, not ${found.target}; ` +
          'every host (Electron, the browser host) builds the same app and hands it ports'
        : undefined
  },
  {
    layer: 'The shared contract stands alone',
    applies: (file) => isUnder(file, 'src/shared'),
    check: (found) => {
      if (found.kind === 'relative' && !isUnder(found.target, 'src/shared'))
        return `src/shared may import src/shared only, not ${found.target}`
      if (found.kind === 'builtin') return 'src/shared runs in the renderer too, so it has no Node built-ins'
      if (found.kind === 'package' && found.name !== 'zod') return `src/shared may use zod only, not '${found.name}'`
      return undefined
    }
  },
  {
    layer: 'The preload is only a bridge',
    applies: (file) => isUnder(file, 'src/preload'),
    check: (found) =>
      found.kind === 'relative' && !isUnder(found.target, 'src/preload') && !isUnder(found.target, 'src/shared')
        ? `src/preload may import src/preload and src/shared only, not ${found.target}`
        : undefined
  },
  {
    layer: 'The main process ships alone',
    // The core and the app have stricter rules above; one import, one report.
    applies: (file) => isUnder(file, 'src/main') && !isUnder(file, 'src/main/core') && !isUnder(file, 'src/main/app'),
    check: (found) =>
      found.kind === 'relative' && !isUnder(found.target, 'src/main') && !isUnder(found.target, 'src/shared')
        ? `src/main may import src/main and src/shared only, not ${found.target}; tests, hosts and the renderer are not in its bundle`
        : undefined
  }
]

/** @param {string} specifier @param {string} importer (a repository path) @returns {Import} */
function classify(specifier, importer) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const resolved = path.resolve(ROOT, path.dirname(importer), specifier)
    return { kind: 'relative', target: path.relative(ROOT, resolved).split(path.sep).join('/') }
  }
  if (isBuiltin(specifier)) return { kind: 'builtin' }
  const parts = specifier.split('/')
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier) }
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each layer to the imports its layer rule allows (see LAYERS in eslint.config.js)' },
    messages: { broken: "Layer rule '{{layer}}': {{why}}" },
    schema: []
  },
  create(context) {
    const importer = path.relative(ROOT, context.filename).split(path.sep).join('/')
    const layers = LAYERS.filter((layer) => layer.applies(importer))
    if (layers.length === 0) return {}
    /** @param {import('estree').Node | null | undefined} source */
    const checkSource = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return
      const found = classify(source.value, importer)
      for (const { layer, check } of layers) {
        const why = check(found)
        if (why !== undefined) context.report({ node: source, messageId: 'broken', data: { layer, why } })
      }
    }
    // Every way a module can be named: static, re-exported, dynamic, required, and in type positions
    // (`typeof import('electron')`, `import x = require('…')`), since a type import couples layers too.
    /** @param {any} node TypeScript-only AST nodes, which ESTree's types do not describe */
    const fromTypeScriptNode = (node) => checkSource(node.argument?.literal ?? node.argument ?? node.moduleReference?.expression)
    return {
      ImportDeclaration: (node) => checkSource(node.source),
      ExportAllDeclaration: (node) => checkSource(node.source),
      ExportNamedDeclaration: (node) => checkSource(node.source),
      ImportExpression: (node) => checkSource(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') checkSource(node.arguments[0])
      },
      TSImportType: fromTypeScriptNode,
      TSImportEqualsDeclaration: fromTypeScriptNode
    }
  }
}

/**
 * Typed linting is opt-in (`LARDER_LINT_TYPED=1 npm run lint`): building the two TypeScript programs
 * (tsconfig.node.json, tsconfig.web.json, found through the solution tsconfig.json) and asking them about every
 * call more than doubles a cold run, from about 20 s to 50–65 s of CPU on the 2-core machine, past the 45 s
 * budget. None of the rules that hold the layers needs types; these three find bugs in async code
 * (a promise nobody awaits, an async callback where a void one is expected, awaiting a non-promise).
 */
const TYPED = process.env['LARDER_LINT_TYPED'] === '1'
/** @type {import('eslint').Linter.Config[]} */
const typedLinting = TYPED
  ? [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'error',
          '@typescript-eslint/no-misused-promises': 'error',
          '@typescript-eslint/await-thenable': 'error'
        }
      }
    ]
  : []

export default defineConfig(
  {
    ignores: ['out/', 'dist/', 'node_modules/', '.tools/', '.scratch/', 'test-results/', 'playwright-report/']
  },
  {
    linterOptions: {
      // A disable comment that no longer disables anything is an error, so stale ones do not pile up.
      reportUnusedDisableDirectives: 'error'
    }
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  typedLinting,
  {
    rules: {
      // `any` at a boundary is how a wrong shape slips past the type checker: an error everywhere, tests included.
      '@typescript-eslint/no-explicit-any': 'error',
      // Off: the code matches control characters on purpose, in every sanitiser of names and input lines;
      // in TypeScript source a `\u0000` in a regex is never an accident, so each hit only asked for a disable comment.
      'no-control-regex': 'off',
      // Off: its hits here are all `let x = fallback; try { x = … } catch { x = fallback }`, a deliberate way of
      // saying what the value is when the try throws; none was a lost write.
      'no-useless-assignment': 'off',
      // Relaxed, not off: a parameter named `_x` is kept for a shared signature, and `{ a: _a, ...rest } = x` is
      // how the code drops a key; both are on purpose. Every other unused name is still an error.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  },
  {
    plugins: { larder: { rules: { layers: layersRule } } },
    rules: { 'larder/layers': 'error' }
  },
  {
    files: ['src/main/**', 'src/preload/**', 'test/**', 'bench/**', 'scripts/**', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node }
  },
  {
    ...reactHooks.configs.flat.recommended,
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser }
  },
  comments.recommended,
  {
    rules: {
      // Every eslint-disable says why, on the same line: `// eslint-disable-next-line rule -- reason`.
      '@eslint-community/eslint-comments/require-description': 'error'
    }
  }
)
