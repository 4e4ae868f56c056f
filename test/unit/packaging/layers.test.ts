// The lint config holds the layers only if each of its rules can fail. These lint tiny snippets at made-up paths
// with the project's own eslint.config.js and check that the rule that should object does, and only there.
import path from 'node:path'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
// The made-up files belong to no tsconfig, and none of the rules under test needs type information.
// A zone judges an import by the file it resolves to and passes over one that resolves to nothing, so here every
// relative import must resolve: an allowed case then proves its imports were checked, not skipped. (no-unresolved
// passes over `import type`; the type imports below name real files too.)
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [
    tseslint.configs.disableTypeChecked,
    { rules: { 'import-x/no-unresolved': ['error', { ignore: ['^[^.]'] }] } }
  ]
})

/** Every problem ESLint reports for `code` as if it were the file at `file`, as "rule: message". */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'eslint'}: ${message.message}`)
}

/** The rules that hold the layers (see eslint.config.js), and the resolution check above. */
const LAYER_RULES = [
  'import-x/no-restricted-paths',
  'import-x/no-nodejs-modules',
  'no-restricted-imports',
  'no-restricted-syntax',
  'import-x/no-unresolved'
]

async function layerProblems(file: string, code: string): Promise<string[]> {
  return (await problems(file, code)).filter((problem) => LAYER_RULES.some((rule) => problem.startsWith(`${rule}:`)))
}

const ELECTRON = "Layer rule 'Electron stays in its adapters'"
const RENDERER = "Layer rule 'The renderer is a web page'"
const CORE = "Layer rule 'The core knows no host'"
const SHARED = "Layer rule 'The shared contract stands alone'"
// import-x's rule has no message of its own to give; eslint.config.js notes which layer rule it holds.
const NO_NODE_BUILTINS = 'import-x/no-nodejs-modules:'

describe('Electron stays in its adapters', () => {
  it.each([
    ['src/main/core/x.ts', "import { app } from 'electron'"],
    ['src/main/app/x.ts', "import Store from 'electron-store'"],
    ['src/main/ipc-x.ts', "import type { IpcMainEvent } from 'electron'"],
    ['src/main/core/x.ts', "export type Electron = typeof import('electron')"],
    ['bench/x.ts', "import { is } from '@electron-toolkit/utils'"],
    ['test/unit/vault/x.test.ts', "await import('electron/main')"],
    ['test/browser-host/x.ts', "export * from 'electron'"]
  ])('%s may not: %s', async (file, code) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringContaining(ELECTRON)])
  })

  it.each([
    'src/main/electron/x.ts',
    'src/main/index.ts',
    'src/preload/index.ts',
    'test/unit/electron/x.test.ts',
    'test/unit/host/electron-host.test.ts',
    'test/e2e/electron-app.spec.ts'
  ])('%s may', async (file) => {
    expect(await layerProblems(file, "import { app } from 'electron'\nimport Store from 'electron-store'")).toEqual([])
  })
})

describe('The renderer is a web page', () => {
  it.each([
    ['src/renderer/src/lib/x.ts', "import { Vault } from '../../../main/core/model.ts'", RENDERER],
    ['src/renderer/src/lib/x.ts', "import type { LarderCore } from '../../../main/core/larder-core.ts'", RENDERER],
    ['src/renderer/src/x.tsx', "import '../../preload/index.ts'", RENDERER],
    ['src/renderer/src/x.tsx', "import { readFileSync } from 'node:fs'", NO_NODE_BUILTINS],
    ['src/renderer/src/x.tsx', "import path from 'path'", NO_NODE_BUILTINS],
    ['src/renderer/src/x.tsx', "import { host } from '../../../test/browser-host/host.ts'", RENDERER]
  ])('%s may not: %s', async (file, code, rule) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringContaining(rule)])
  })

  it('may import itself, src/shared and its packages', async () => {
    const code = [
      "import { useState } from 'react'",
      "import { create } from 'zustand'",
      "import type { LibraryView } from '../../../../shared/contract.ts'",
      "import { formatAge } from '../time.ts'"
    ].join('\n')
    expect(await layerProblems('src/renderer/src/lib/x/y.ts', code)).toEqual([])
  })

  it("gets React's hooks rules", async () => {
    const code = "import { useState } from 'react'\nexport function View(props: { on: boolean }) {\n  if (props.on) useState(0)\n  return null\n}"
    expect(await problems('src/renderer/src/x.tsx', code)).toContainEqual(expect.stringContaining('react-hooks/rules-of-hooks'))
  })
})

describe('The core knows no host', () => {
  it.each([
    ['src/main/core/x.ts', "import { createLarderTray } from '../electron/tray.ts'"],
    ['src/main/core/vault/x.ts', "import { createApp } from '../../app/create-app.ts'"],
    ['src/main/core/x.ts', "import '../index.ts'"],
    ['src/main/core/vault/x.ts', "import '../../index.ts'"],
    ['src/main/core/x.ts', "import { createHandlers } from '../app/handlers.ts'"],
    ['src/main/core/x.ts', "import { App } from '../../renderer/src/App.tsx'"],
    ['src/main/core/vault/x.ts', "import { startBrowserHost } from '../../../../test/browser-host/host.ts'"],
    ['src/main/core/vault/x.ts', "export { manualClock } from '../../../../test/support/manual-clock.ts'"]
  ])('%s may not: %s', async (file, code) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringContaining(CORE)])
  })

  it('may import itself, src/shared, Node and its packages', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises'",
      "import { Agent } from 'undici'",
      "import { z } from 'zod'",
      "import type { LibraryView } from '../../../shared/contract.ts'",
      "import { openVault } from '../vault/index.ts'",
      "import { InputError } from '../errors.ts'",
      "export * from '../audit/index.ts'" // src/main/core/audit/index.ts, still the core
    ].join('\n')
    expect(await layerProblems('src/main/core/vault/x.ts', code)).toEqual([])
  })
})

describe('The shared contract stands alone', () => {
  it.each([
    "import { useState } from 'react'",
    "import path from 'node:path'",
    "import { InputError } from '../main/core/errors.ts'",
    "import { bridgeClient } from '../renderer/src/bridge/client.ts'"
  ])('may not: %s', async (code) => {
    expect(await layerProblems('src/shared/x.ts', code)).toEqual([expect.stringContaining(SHARED)])
  })

  it('may import zod and itself', async () => {
    const code = "import { z } from 'zod'\nimport { calls } from './calls.ts'\nexport * from '../contract.ts'"
    expect(await layerProblems('src/shared/contract/x.ts', code)).toEqual([])
  })
})

describe('The app, the preload and the rest of the main process', () => {
  it.each([
    ['src/main/app/x.ts', "import { sendEvent } from '../electron/ipc-main.ts'", "Layer rule 'The app is host-free'"],
    ['src/main/app/use-cases/x.ts', "import '../../index.ts'", "Layer rule 'The app is host-free'"],
    ['src/main/app/x.ts', "import { host } from '../../../test/browser-host/host.ts'", "Layer rule 'The app is host-free'"],
    ['src/preload/index.ts', "import { LarderCore } from '../main/core/larder-core.ts'", "Layer rule 'The preload is only a bridge'"],
    ['src/main/electron/x.ts', "import { host } from '../../../test/browser-host/host.ts'", "Layer rule 'The main process ships alone'"],
    ['src/main/index.ts', "import { App } from '../renderer/src/App.tsx'", "Layer rule 'The main process ships alone'"],
    ['src/main/endpoint/x.ts', "import { createLarderApp } from '../app/create-app.ts'", "Layer rule 'The endpoint is transport only'"],
    ['src/main/endpoint/x.ts', "import { LarderCore } from '../core/larder-core.ts'", "Layer rule 'The endpoint is transport only'"],
    ['src/main/cli/x.ts', "import { createLarderApp } from '../app/create-app.ts'", "Layer rule 'The command is a thin client'"],
    ['src/main/cli/x.ts', "import { openVault } from '../core/vault/index.ts'", "Layer rule 'The command is a thin client'"],
    ['src/main/cli/x.ts', "import { createFileLog } from '../node/log-file.ts'", "Layer rule 'The command is a thin client'"]
  ])('%s may not: %s', async (file, code, rule) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringContaining(rule)])
  })

  it('each may import what its layer allows', async () => {
    const app = "import { LarderCore } from '../../core/larder-core.ts'\nimport type { CallName } from '../../../shared/contract.ts'\nimport { ports } from '../ports.ts'"
    expect(await layerProblems('src/main/app/use-cases/x.ts', app)).toEqual([])
    expect(await layerProblems('src/preload/index.ts', "import { CALL_NAMES } from '../shared/names.ts'")).toEqual([])
    expect(await layerProblems('src/main/electron/x.ts', "import { createApp } from '../app/create-app.ts'\nimport { LarderCore } from '../core/larder-core.ts'")).toEqual([])

    expect(await layerProblems('src/main/cli/x.ts', "import { callEndpoint } from '../endpoint/client.ts'\nimport { EXIT_CODES } from '../../shared/terminal-words.ts'")).toEqual([])
    expect(await layerProblems('src/main/agent/x.ts', "import { createLarderApp } from '../app/create-app.ts'\nimport { takeDataFolder } from '../endpoint/lock.ts'")).toEqual([])
  })
})

describe('no any, anywhere', () => {
  it.each(['src/main/core/x.ts', 'src/renderer/src/x.ts', 'test/unit/x.test.ts'])('%s', async (file) => {
    expect(await problems(file, 'export const x: any = 1')).toEqual([expect.stringContaining('@typescript-eslint/no-explicit-any')])
  })
})

describe('eslint-disable comments', () => {
  const ANY = 'export const x: any = 1'

  it('must say why, on the same line', async () => {
    expect(await problems('src/main/core/x.ts', `// eslint-disable-next-line @typescript-eslint/no-explicit-any\n${ANY}`)).toEqual([
      expect.stringContaining('eslint-comments/require-description')
    ])
  })

  it('may not disable every rule at once', async () => {
    expect(await problems('src/main/core/x.ts', `/* eslint-disable -- everything */\n${ANY}`)).toContainEqual(
      expect.stringContaining('eslint-comments/no-unlimited-disable')
    )
  })

  it('with a reason, silence the rule they name', async () => {
    expect(await problems('src/main/core/x.ts', `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a reason\n${ANY}`)).toEqual([])
  })

  it('that disable nothing are errors', async () => {
    const stale = '// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a reason\nexport const x = 1'
    expect(await problems('src/main/core/x.ts', stale)).toEqual([expect.stringContaining('Unused eslint-disable directive')])
  })
})
