// larder backup, restore and export-config with real processes (the agent holding the data folder, the built client):
// the passphrase from LARDER_BACKUP_PASSPHRASE or typed at a terminal with echo off (a pseudo-terminal made by
// `script`), never from argv; a restore's table; the configuration without a secret; a moved or paused library
// shown as such by `larder ls`.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toTerminalRow } from '../../../src/main/app/terminal/terminal-handlers.ts'
import { listLibraries } from '../../../src/main/cli/commands.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { killStragglers, larder, startAgent, startWorld, type AgentProcess, type TerminalWorld } from '../../support/terminal-harness.ts'
import { larderOnTerminal, type OnTerminal } from '../../support/terminal-pty.ts'
import { BACKUP_PASSPHRASE, call, startEstateWorld } from './estate-world.ts'

let world: TerminalWorld
let agent: AgentProcess
beforeAll(async () => {
  world = await startWorld({ libraries: [{ name: 'Bistro Nord' }, { name: 'Bistro Zuid' }] })
  agent = await startAgent(world)
}, 60_000)
afterAll(async () => {
  await agent.stop()
  killStragglers()
  await world.close()
})

const withPassphrase = { env: { LARDER_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE } }

/** `larder ARGS` in a pseudo-terminal, typing `answers` at each passphrase prompt. */
function inTerminal(args: readonly string[], answers: readonly string[]): Promise<OnTerminal> {
  const env = { ...process.env }
  delete env['LARDER_BACKUP_PASSPHRASE']
  return larderOnTerminal(world, args, { prompt: /passphrase[^:]*: /gi, answers }, { env, timeoutMs: 30_000 })
}

describe('larder backup, restore, export-config', () => {
  it('backup with the passphrase from LARDER_BACKUP_PASSPHRASE; a dry-run restore says what it would do; nothing secret printed', async () => {
    const file = path.join(world.root, 'from-env.age')
    const made = await larder(world, ['backup', file], withPassphrase).done
    expect(made.code, made.stderr).toBe(EXIT_CODES.ok)
    expect(made.stdout).toBe('')
    expect(made.stderr).toContain(`Wrote an encrypted backup of 2 libraries and 0 keys to ${file}`)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)

    const dry = await larder(world, ['restore', file, '--dry-run'], withPassphrase).done
    expect(dry.code, dry.stderr).toBe(EXIT_CODES.ok)
    expect(dry.stderr).toContain('Dry run: nothing was changed.')
    expect(dry.stdout).toMatch(/Bistro Nord\s+unchanged/)
    for (const library of world.libraries) {
      for (const text of [made.stdout, made.stderr, dry.stdout, dry.stderr]) expect(text).not.toContain(library.accessToken)
    }
  })

  it('asks for the passphrase at the terminal with echo off (twice for a new file), never echoing it', async () => {
    const file = path.join(world.root, 'typed.age')
    const typed = await inTerminal(['backup', file], [BACKUP_PASSPHRASE, BACKUP_PASSPHRASE])
    expect(typed.code, typed.screen).toBe(EXIT_CODES.ok)
    expect(typed.screen).toContain('Backup passphrase: ')
    expect(typed.screen).toContain('The same passphrase again: ')
    expect(typed.screen).not.toContain(BACKUP_PASSPHRASE)
    expect(fs.existsSync(file)).toBe(true)
    const mistyped = await inTerminal(['backup', path.join(world.root, 'mistyped.age')], [BACKUP_PASSPHRASE, 'something else entirely'])
    expect(mistyped.code).toBe(EXIT_CODES.usage)
    expect(mistyped.screen).toContain('The two passphrases differ; nothing was written.')
    expect(fs.existsSync(path.join(world.root, 'mistyped.age'))).toBe(false)
  })

  it('without a terminal or LARDER_BACKUP_PASSPHRASE: a usage error saying where the passphrase comes from', async () => {
    const end = await larder(world, ['backup', path.join(world.root, 'none.age')]).done
    expect(end.code).toBe(EXIT_CODES.usage)
    expect(end.stderr).toContain('No passphrase: set LARDER_BACKUP_PASSPHRASE for a script, or run larder in a terminal to be asked.')
  })

  it('export-config writes the configuration without a secret', async () => {
    const file = path.join(world.root, 'config.json')
    const end = await larder(world, ['export-config', file]).done
    expect(end.code, end.stderr).toBe(EXIT_CODES.ok)
    const text = fs.readFileSync(file, 'utf8')
    expect(JSON.parse(text)).toMatchObject({ format: 'larder-config', libraries: [{ name: 'Bistro Nord' }, { name: 'Bistro Zuid' }] })
    for (const library of world.libraries) {
      for (const secret of [library.accessToken, library.credentials.clientSecret, library.credentials.refreshToken]) expect(text).not.toContain(secret)
    }
  })
})

describe('larder ls and a held library', () => {
  it('says Moved (or Paused) in the status column, from the terminal row the app builds', async () => {
    const estate = await startEstateWorld()
    try {
      const old = await estate.machine('old')
      const nord = await old.add('Bistro Nord')
      await call(old.handlers, 'move.export', { path: path.join(old.dir, 'move.age'), passphrase: BACKUP_PASSPHRASE })
      const row = toTerminalRow(old.core.libraries.get(nord.id), estate.clock.now())
      expect(row.hold).toMatchObject({ kind: 'moved', message: expect.stringContaining('was moved to') })
      let out = ''
      await listLibraries(async <T,>() => ({ holder: { host: 'test', pid: 1, version: 'test', vault: 'open' }, value: { libraries: [row] } as T }), { out: (text) => void (out += text), err: () => undefined }, false)
      expect(out).toMatch(/Bistro Nord\s+Moved\s/)
    } finally {
      await estate.close()
    }
  })
})
