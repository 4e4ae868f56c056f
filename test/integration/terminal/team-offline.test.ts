// `larder` on a machine offline from its team (issue 16): a team credential Larder could not refresh or change ends
// the command with its own exit code and a line saying what happened and what to do. Real processes on a real
// endpoint; the host answers each call with the refusal the engine or the team vault throws (no PostgreSQL needed:
// the errors are the real classes, passed through the terminal's real error mapping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toTerminalError } from '../../../src/main/app/terminal/terminal-handlers.ts'
import { expiredWhileOffline, notFinishedElsewhere } from '../../../src/main/core/engine/refresh-turn.ts'
import { TeamOfflineError } from '../../../src/main/core/team/team-errors.ts'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { EXIT_CODES, TERMINAL_CALLS, type TerminalHandlers } from '../../../src/shared/terminal-words.ts'
import { record } from '../../unit/engine/refresh-turn-support.ts'
import { killStragglers, larder, startWorld, type TerminalWorld } from '../../support/terminal-harness.ts'

const SINCE = Date.UTC(2026, 11, 7, 10, 42)
const BISTRO = { ...record('lib-1', SINCE - 8 * 86_400_000), name: 'Bistro Noord' }

let world: TerminalWorld
let lock: DataFolderLock
/** What the host answers every call with, set by each test. */
let refusal: unknown = null

beforeAll(async () => {
  world = await startWorld({ noVault: true })
  lock = await takeDataFolder({ dataDir: world.dataDir, holder: () => ({ host: 'test', pid: process.pid, version: 'test', vault: 'open' }) })
  const refuse = async () => ({ ok: false as const, error: toTerminalError(refusal) })
  lock.serve(Object.fromEntries(TERMINAL_CALLS.map((name) => [name, refuse])) as unknown as TerminalHandlers)
}, 60_000)
afterAll(async () => {
  killStragglers()
  await lock?.close()
  await world?.close()
})

describe('larder offline from the team', () => {
  it('token: its own exit code, what happened and what to do', async () => {
    refusal = expiredWhileOffline(BISTRO, SINCE)
    const end = await larder(world, ['token', 'Bistro Noord']).done
    expect(end).toMatchObject({ code: EXIT_CODES.teamOffline, stdout: '' })
    expect(end.stderr).toMatch(/^larder: This machine is offline from the team since 2026-12-07 10:42 UTC, .*Bistro Noord/)
    expect(end.stderr).toContain('team database')
    expect(end.stderr).toMatch(/\nlarder: .*(network|connection).*team database/)
  })

  it('exec: the same code, and the command is not run', async () => {
    refusal = expiredWhileOffline(BISTRO, SINCE)
    const end = await larder(world, ['exec', '--library', 'Bistro Noord', '--', process.execPath, '-e', 'console.log("ran")']).done
    expect(end).toMatchObject({ code: EXIT_CODES.teamOffline, stdout: '' })
    expect(end.stderr).toMatch(/^larder: This machine is offline from the team/)
  })

  it('refresh: a change refused by the team vault offline has the same code', async () => {
    refusal = new TeamOfflineError('Bistro Noord', SINCE, 'connect ECONNREFUSED 127.0.0.1:5432')
    const end = await larder(world, ['refresh', 'Bistro Noord']).done
    expect(end).toMatchObject({ code: EXIT_CODES.teamOffline, stdout: '' })
    expect(end.stderr).toMatch(/^larder: Bistro Noord was not changed: this machine is offline from the team/)
  })

  it("another member's refresh not finished stays an API failure that says to try again", async () => {
    refusal = notFinishedElsewhere(BISTRO, { by: 'Ann' }, SINCE)
    const end = await larder(world, ['token', 'Bistro Noord']).done
    expect(end).toMatchObject({ code: EXIT_CODES.apiFailure, stdout: '' })
    expect(end.stderr).toMatch(/^larder: Ann is refreshing Bistro Noord for the team/)
  })
})
