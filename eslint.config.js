// @ts-check
// Lint for Larder: ESLint's and typescript-eslint's `recommended`, React's hooks rules, described disables, and
// the layer rules of ARCHITECTURE.md, held by standard rules: import-x's `no-restricted-paths` for which folder
// may import which (it resolves each import to a file, so '../index.ts' is judged by where it lands, at any
// folder depth), import-x's `no-nodejs-modules`, and ESLint's `no-restricted-imports` and `no-restricted-syntax`
// for packages. Each layer message starts with the rule it holds, so a failure says which promise was broken.
import js from '@eslint/js'
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs'
import { defineConfig } from 'eslint/config'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const ROOT = import.meta.dirname

/**
 * A zone's `from` as an allow-list: the whole repository except `folders` and the installed packages (which
 * packages a layer may use is for the package rules below).
 * @param {...string} folders
 */
const allExcept = (...folders) => ({ from: '.', except: [...folders, 'node_modules'] })

const LAYER_ZONES = [
  {
    target: 'src/renderer',
    ...allExcept('src/renderer', 'src/shared'),
    message:
      "Layer rule 'The renderer is a web page': it may import src/renderer and src/shared only; " +
      'the main process is reached through the bridge (window.larder)'
  },
  {
    target: 'src/main/core',
    ...allExcept('src/main/core', 'src/shared'),
    message:
      "Layer rule 'The core knows no host': src/main/core may import src/main/core and src/shared only; the renderer, " +
      'the Electron adapters, the app layer, index.ts, the hosts and the tests depend on the core, never the reverse'
  },
  {
    target: 'src/main/app',
    ...allExcept('src/main/app', 'src/main/core', 'src/shared'),
    message:
      "Layer rule 'The app is host-free': src/main/app may import src/main/app, src/main/core and src/shared only; " +
      'every host (Electron, the browser host) builds the same app and hands it ports'
  },
  {
    target: 'src/shared',
    ...allExcept('src/shared'),
    message: "Layer rule 'The shared contract stands alone': src/shared may import src/shared only"
  },
  {
    target: 'src/preload',
    ...allExcept('src/preload', 'src/shared'),
    message: "Layer rule 'The preload is only a bridge': src/preload may import src/preload and src/shared only"
  },
  {
    target: 'src/main/endpoint',
    ...allExcept('src/main/endpoint', 'src/shared'),
    message:
      "Layer rule 'The endpoint is transport only': src/main/endpoint may import src/main/endpoint and src/shared only; " +
      'what a call does is the app\'s (src/main/app/terminal), handed in as a table'
  },
  {
    target: 'src/main/cli',
    ...allExcept('src/main/cli', 'src/main/endpoint', 'src/main/agent', 'src/shared'),
    message:
      "Layer rule 'The command is a thin client': src/main/cli may import src/main/cli, the endpoint's client, the " +
      'agent (loaded only by `larder agent`) and src/shared only; test/unit/packaging/cli-bundle.test.ts checks what its bundle holds'
  },
  {
    // The rest of src/main (index.ts, electron/, agent/, node/); the zones above are stricter: one import, one report.
    target: ['src/main/*', 'src/main/!(core|app|endpoint|cli)/**'],
    ...allExcept('src/main', 'src/shared'),
    message:
      "Layer rule 'The main process ships alone': src/main may import src/main and src/shared only; " +
      'tests, hosts and the renderer are not in its bundle'
  }
]

/**
 * Where Electron may be imported: its adapters (src/main/electron, the Electron host among them), the host's
 * entry point, the preload, the tests that mock or launch it, and `npm start`'s launcher (which reads the
 * version of the Electron package it is about to run).
 */
const ELECTRON_IMPORTERS = [
  'src/main/electron/**',
  'src/main/index.ts',
  'src/preload/**',
  'test/unit/electron/**',
  'test/unit/host/electron-host.test.ts',
  'test/e2e/electron-app.spec.ts',
  'scripts/start.ts'
]
const ELECTRON_RULE =
  "Layer rule 'Electron stays in its adapters': only src/main/electron/**, src/main/index.ts and src/preload/** may " +
  'import Electron; everything else is given what it needs through a port, so it runs (and is tested) in plain Node'
// 'electron', 'electron-store', '@electron-toolkit/…' and their subpaths, not '../electron/x.ts' nor 'electron-vite'.
// (\x2F is '/', which a selector's regex cannot hold.)
const ELECTRON_PACKAGE = String.raw`^(electron|electron-store)(\x2F|$)|^@electron-toolkit\x2F`

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
    // import-x's default resolver (Node's, built in) finds our imports as written, with their `.ts` extensions.
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: LAYER_ZONES }] }
  },
  {
    // Layer rule 'The renderer is a web page': it has no Node built-ins; it asks the main process through the bridge.
    files: ['src/renderer/**'],
    rules: { 'import-x/no-nodejs-modules': 'error' }
  },
  {
    ignores: ELECTRON_IMPORTERS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: ELECTRON_PACKAGE, message: ELECTRON_RULE }] }],
      // `no-restricted-imports` sees import and export declarations only, not `import('electron')` nor, in a type,
      // `typeof import('electron')`.
      'no-restricted-syntax': [
        'error',
        {
          selector: `:matches(ImportExpression, TSImportType) > Literal.source[value=/${ELECTRON_PACKAGE}/]`,
          message: ELECTRON_RULE
        }
      ]
    }
  },
  {
    files: ['src/shared/**'],
    rules: {
      // Replaces the Electron block's options for src/shared (a later block's options win) with stricter ones:
      // no package but zod, and no Node built-ins, since the renderer runs this code too.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(?!\.|zod(/|$))`,
              message:
                "Layer rule 'The shared contract stands alone': src/shared may use zod only, " +
                'and no Node built-ins, as the renderer runs it too'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/main/**', 'src/preload/**', 'test/**', 'bench/**', 'scripts/**', '*.config.{js,ts}', 'bin/**'],
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
