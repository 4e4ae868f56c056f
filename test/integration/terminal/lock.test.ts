// `larder` and the app lock, with real processes on a real endpoint: the test process hosts the app (as the desktop
// app would) on a data folder whose vault is open. `larder lock` needs no approval; locked, `larder token` and
// `larder exec` without a terminal exit 4 saying how to unlock; on a terminal (a real pseudo-terminal from
// util-linux's `script`) the command asks "Larder is locked. Passphrase:" with echo off and, with the right one, gets
// that one answer while Larder stays locked. The passphrase is typed, never in argv or the environment.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import { TERMINAL_LOCKED } from '../../../src/main/app/lock/guard-terminal.ts'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { nodeVaultStore } from '../../../src/main/node/vault-store.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { DEV_PASSPHRASE } from '../../browser-host/assemble.ts'
import { killStragglers, larder, startWorld, type TerminalWorld } from '../../support/terminal-harness.ts'

let world: TerminalWorld
let app: LarderApp
let folder: DataFolderLock

beforeAll(async () => {
  world = await startWorld({ libraries: [{ name: 'Brasserie Nord' }] })
  app = createLarderApp({
    info: { name: 'Larder', version: 'test', host: 'browser' },
    storage: { vaultPath: path.join(world.dataDir, 'vault.json'), auditPath: path.join(world.dataDir, 'audit.jsonl'), openStore: nodeVaultStore(world.dataDir) },
    keychain: null,
    clipboard: { copySecret: () => ({ clearsAt: null }) },
    // Every terminal session allowed (as the agent's policy), so what is tested is the lock alone.
    terminal: { policy: 'allow' }
  })
  folder = await takeDataFolder({ dataDir: world.dataDir, holder: () => ({ host: 'test', pid: process.pid, version: 'test', vault: app.session.state().state }) })
  await app.start()
  expect(await app.session.unlock(DEV_PASSPHRASE)).toMatchObject({ state: 'open' })
  folder.serve(app.terminal.handlers)
}, 60_000)

afterAll(async () => {
  killStragglers()
  await folder?.close()
  await app?.close()
  await world?.close()
})

/** `larder ARGS` on a pseudo-terminal: `typed` goes in once `prompt` shows, each time it shows. Merged output. */
function onTerminal(args: readonly string[], typed: readonly string[], prompt = 'Passphrase: '): Promise<{ code: number | null; output: string; prompts: number }> {
  const quoted = [process.execPath, world.cli, ...args, '--data-dir', world.dataDir].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ')
  const env = { ...process.env }
  delete env['LARDER_DATA_DIR']
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env })
  let output = ''
  let prompts = 0
  const answers = [...typed]
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
    // Typed only once asked: the prompt has turned echo off by then.
    while (output.split(prompt).length - 1 > prompts) {
      prompts++
      const answer = answers.shift()
      child.stdin.write(answer === undefined ? '\u0004' : `${answer}\r`)
    }
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output, prompts }))
  })
}

const accessToken = async (): Promise<string> => (await app.core()!.vault.secrets(world.libraries[0]!.id, ['accessToken'])).accessToken

describe('larder and the app lock', () => {
  it('larder lock locks (no approval needed) and says that tokens go on being refreshed', async () => {
    const end = await larder(world, ['lock']).done
    expect(end).toMatchObject({ code: EXIT_CODES.ok, stdout: '' })
    expect(end.stderr).toMatch(/^Larder is locked\. Tokens go on being refreshed/)
    expect(app.lock?.guarded()).toBe(true)
  })

  it('without a terminal: token and exec exit 4, saying how to unlock', async () => {
    const token = await larder(world, ['token', 'Brasserie Nord']).done
    expect(token).toMatchObject({ code: EXIT_CODES.locked, stdout: '' })
    expect(token.stderr).toBe(`larder: ${TERMINAL_LOCKED}\n`)
    const exec = await larder(world, ['exec', '--library', 'Brasserie Nord', '--', process.execPath, '-e', 'process.exit(0)']).done
    expect(exec).toMatchObject({ code: EXIT_CODES.locked, stdout: '' })
    expect(exec.stderr).toBe(`larder: ${TERMINAL_LOCKED}\n`)
  })

  it('on a terminal: asks for the passphrase with echo off and answers this one call; Larder stays locked', async () => {
    const end = await onTerminal(['token', 'Brasserie Nord'], [DEV_PASSPHRASE])
    expect(end.code).toBe(EXIT_CODES.ok)
    expect(end.prompts).toBe(1)
    expect(end.output).toContain('Larder is locked. Passphrase: ')
    expect(end.output).toContain(await accessToken())
    expect(end.output).not.toContain(DEV_PASSPHRASE)
    expect(app.lock?.guarded()).toBe(true)
  }, 30_000)

  it('on a terminal: a wrong passphrase is asked again, three times at most, then exit 4', async () => {
    const end = await onTerminal(['token', 'Brasserie Nord'], ['wrong one', 'wrong two', 'wrong three'])
    expect(end.code).toBe(EXIT_CODES.locked)
    expect(end.prompts).toBe(3)
    expect(end.output.split('That passphrase does not unlock Larder.').length - 1).toBe(3)
    expect(end.output).not.toMatch(/wrong (one|two|three)/)
    expect(app.lock?.view()).toMatchObject({ state: 'guarded', failures: 3 })
  }, 30_000)

  it('larder lock --forget closes the passphrase vault: then every call exits 4 until it is unlocked in the window', async () => {
    const end = await larder(world, ['lock', '--forget']).done
    expect(end).toMatchObject({ code: EXIT_CODES.ok, stdout: '' })
    expect(end.stderr).toMatch(/no token is refreshed until you unlock it/)
    expect(app.session.state()).toEqual({ state: 'locked', mode: 'unlock' })
    const token = await larder(world, ['token', 'Brasserie Nord']).done
    expect(token).toMatchObject({ code: EXIT_CODES.locked, stderr: 'larder: Larder is locked: unlock it in the app first.\n' })
  })
})
