// Each way `larder` can fail, with real processes on a real endpoint: its own exit code (README "Use from scripts")
// and a `larder:` line that says what was wrong. Locked needs a host whose vault is not open: an agent never serves
// locked, so the test process hosts the app itself (createLarderApp never unlocked, the folder's lock, its endpoint).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLarderApp } from '../../../src/main/app/create-app.ts'
import { takeDataFolder } from '../../../src/main/endpoint/lock.ts'
import { nodeVaultStore } from '../../../src/main/node/vault-store.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { HOUR, larder, MINUTE, spawnAgent, startAgent, startWorld, type AgentProcess, type TerminalWorld, killStragglers } from '../../support/terminal-harness.ts'

let world: TerminalWorld
let agent: AgentProcess
const others: TerminalWorld[] = []
beforeAll(async () => {
  world = await startWorld({
    settings: { refreshAheadMs: 10 * MINUTE, copyFreshnessMarginMs: HOUR },
    libraries: [{ name: 'Bistro Nord' }, { name: 'Bistro Zuid' }, { name: 'Grill Due', expiresInMs: 30 * MINUTE }, { name: 'Bakkerij Spent', expiresInMs: 30 * MINUTE }]
  })
  agent = await startAgent(world)
}, 60_000)
afterAll(async () => {
  await agent.stop()
  killStragglers()
  await Promise.all([world, ...others].map((one) => one.close()))
})

/** Another data folder, sharing this file's client bundle. */
async function otherWorld(options: Parameters<typeof startWorld>[0] = {}): Promise<TerminalWorld> {
  const other = await startWorld({ ...options, cli: world.cli })
  others.push(other)
  return other
}

const library = (name: string) => {
  const found = world.libraries.find((one) => one.name === name)
  if (found === undefined) throw new Error(`no library ${name}`)
  return found
}

describe('larder exit codes', () => {
  it('locked: 4, saying to unlock Larder', async () => {
    const other = await otherWorld({ libraries: [{ name: 'Brasserie Nord' }] })
    const app = createLarderApp({
      info: { name: 'Larder', version: 'test', host: 'browser' },
      storage: { vaultPath: path.join(other.dataDir, 'vault.json'), auditPath: path.join(other.dataDir, 'audit.jsonl'), openStore: nodeVaultStore(other.dataDir) },
      keychain: null,
      clipboard: { copySecret: () => ({ clearsAt: null }) },
      scryptCost: FAST_SCRYPT
    })
    const lock = await takeDataFolder({ dataDir: other.dataDir, holder: () => ({ host: 'test', pid: process.pid, version: 'test', vault: app.session.state().state }) })
    try {
      expect(await app.start()).toMatchObject({ state: 'locked' })
      lock.serve(app.terminal.handlers)
      const end = await larder(other, ['token', 'Brasserie Nord']).done
      expect(end).toMatchObject({ code: EXIT_CODES.locked, stdout: '' })
      expect(end.stderr).toBe('larder: Larder is locked: unlock it in the app first.\n')
    } finally {
      await lock.close()
      await app.close()
    }
  })

  it('needs re-authorization: 5, for a due library whose refresh token was used elsewhere', async () => {
    world.sandbox.refreshElsewhere(library('Bakkerij Spent').credentials.familyId)
    const end = await larder(world, ['token', 'Bakkerij Spent']).done
    expect(end).toMatchObject({ code: EXIT_CODES.needsReauth, stdout: '' })
    expect(end.stderr).toMatch(/^larder: .*Bakkerij Spent.*new token/)
  })

  it('unknown name: 6, listing the candidates', async () => {
    const end = await larder(world, ['token', 'Bistro Oost']).done
    expect(end).toMatchObject({ code: EXIT_CODES.notFound, stdout: '' })
    expect(end.stderr).toContain('larder: No library matches "Bistro Oost".')
    for (const name of ['Bistro Nord', 'Bistro Zuid']) expect(end.stderr).toContain(`  ${name}  (id ${library(name).id}; Apicbase library ${library(name).credentials.id})`)
  })

  it('ambiguous name: 6, listing both', async () => {
    const end = await larder(world, ['status', 'bistro']).done
    expect(end).toMatchObject({ code: EXIT_CODES.notFound, stdout: '' })
    expect(end.stderr).toMatch(/^larder: .*"bistro"/)
    expect(end.stderr).toContain(`  Bistro Nord  (id ${library('Bistro Nord').id}`)
    expect(end.stderr).toContain(`  Bistro Zuid  (id ${library('Bistro Zuid').id}`)
  })

  it('API failure: 7, for a due library whose refresh gets a 502', async () => {
    const fault = world.sandbox.faults.inject({ route: 'token', kind: 'status', status: 502, familyId: library('Grill Due').credentials.familyId })
    try {
      const end = await larder(world, ['token', 'Grill Due']).done
      expect(end).toMatchObject({ code: EXIT_CODES.apiFailure, stdout: '' })
      expect(end.stderr).toMatch(/^larder: .*Grill Due/)
    } finally {
      world.sandbox.faults.clear(fault)
    }
  })

  it('not running: 3 when nothing serves the folder', async () => {
    const other = await otherWorld({ noVault: true })
    const end = await larder(other, ['ls'], { byEnv: true }).done
    expect(end).toMatchObject({ code: EXIT_CODES.notRunning, stdout: '' })
    expect(end.stderr).toBe(`larder: Larder is not running on ${other.dataDir}. Start the desktop app, or run larder agent on that folder.\n`)
  })

  it('not running: 3 on the socket an agent killed with SIGKILL left behind', async () => {
    const other = await otherWorld({ libraries: [{ name: 'Brasserie Nord' }] })
    const killed = spawnAgent(other)
    await killed.waitFor('Larder agent ready')
    killed.child.kill('SIGKILL')
    expect(await killed.done).toMatchObject({ signal: 'SIGKILL' })
    expect(fs.lstatSync(path.join(other.dataDir, 'run', 'larder.sock')).isSocket()).toBe(true)
    const end = await larder(other, ['token', 'Brasserie Nord']).done
    expect(end).toMatchObject({ code: EXIT_CODES.notRunning, stdout: '' })
    expect(end.stderr).toMatch(/^larder: Larder is not running on /)
  })

  it('usage: 2 for token without LIB and for an unknown --format', async () => {
    const bare = await larder(world, ['token']).done
    expect(bare).toMatchObject({ code: EXIT_CODES.usage, stdout: '' })
    expect(bare.stderr).toMatch(/^larder: larder token needs LIB/)
    const format = await larder(world, ['token', 'Bistro Nord', '--format', 'yaml']).done
    expect(format).toMatchObject({ code: EXIT_CODES.usage, stdout: '' })
    expect(format.stderr).toMatch(/^larder: Unknown --format "yaml"/)
  })

  it('a second agent on the same folder: 10, naming the first', async () => {
    const second = await spawnAgent(world).done
    expect(second.code).toBe(EXIT_CODES.folderHeld)
    expect(second.stderr).toContain(`larder: A Larder agent is already running on ${world.dataDir} (pid ${agent.pid}`)
    // The first still serves.
    expect((await larder(world, ['ls']).done).code).toBe(0)
  })

  it('an agent on a folder without a vault: 4, saying to create it in the desktop app', async () => {
    const other = await otherWorld({ noVault: true })
    const end = await spawnAgent(other).done
    expect(end.code).toBe(EXIT_CODES.locked)
    expect(end.stderr).toContain(`larder: There is no vault in ${other.dataDir} yet. Create it in the desktop app`)
  })
})
