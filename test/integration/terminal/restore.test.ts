// `larder restore` and the host rule, with real processes (issue 17, session 9): a backup made on another machine names
// a library on a host that is neither Apicbase's nor this computer (https://127.0.0.2:PORT: not one of the loopback
// names Larder trusts, but a listener here that counts every connection, so "nothing sent" is checked where it would
// arrive). Without a terminal the restore is refused, naming the host, and nothing is restored or sent; --dry-run lists
// the host and asks it nothing; on a terminal (a pseudo-terminal made by `script`) it asks "Send tokens to HOST?",
// and refuses on no; --confirm-host HOST (as `larder import` takes it) or a yes restores it.
import net from 'node:net'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallInput } from '../../../src/shared/contract.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { killStragglers, larder, startAgent, startWorld, type AgentProcess, type TerminalWorld } from '../../support/terminal-harness.ts'
import { larderOnTerminal, type OnTerminal } from '../../support/terminal-pty.ts'

const PASSPHRASE = 'a backup passphrase of words'
const withPassphrase = { env: { LARDER_BACKUP_PASSPHRASE: PASSPHRASE } }

let world: TerminalWorld
let agent: AgentProcess
let elsewhere: LarderHarness
let routing: Agent
let listener: net.Server
let connections = 0
let host = ''
/** Two backups from the other machine, each with one library on `host` (a restored one no longer needs asking). */
const files: Record<'asked' | 'flagged', string> = { asked: '', flagged: '' }

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections += 1
    socket.destroy()
  })
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve))
  host = `127.0.0.2:${(listener.address() as net.AddressInfo).port}`
  // The other machine: its requests to any host reach its own sandbox, so it could add libraries "behind" `host`.
  routing = new Agent()
  // On real time, as the agent is: the backed-up access tokens are unexpired there, so a restore reads one at its host.
  elsewhere = await startLarder({ start: Date.now(), dispatcher: (sandbox) => routing.compose((dispatch) => (options, handler) => dispatch({ ...options, origin: sandbox.url }, handler)) })
  for (const [which, name] of [['asked', 'Bistro Asked'], ['flagged', 'Bistro Flagged']] as const) {
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = elsewhere.sandbox.addLibraryWithApplication({ name })
    const input: CallInput<'libraries.add'> = { tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: `https://${host}`, confirmedHost: host }
    const added = await elsewhere.handlers['libraries.add'](input)
    if (!added.ok) throw new Error(added.error.message)
    files[which] = path.join(elsewhere.dir, `${which}.age`)
    const written = await elsewhere.handlers['backup.create']({ path: files[which], passphrase: PASSPHRASE })
    if (!written.ok) throw new Error(written.error.message)
    await elsewhere.vault.remove(added.value.id)
  }
  world = await startWorld({ libraries: [{ name: 'Bistro Here' }] })
  agent = await startAgent(world)
}, 90_000)
afterAll(async () => {
  await agent?.stop()
  killStragglers()
  await world?.close()
  await elsewhere?.close()
  await routing?.close()
  listener?.close()
})

/** `larder ARGS` in a pseudo-terminal, answering `reply` to the host question once it shows. */
function inTerminal(args: readonly string[], reply: string): Promise<OnTerminal> {
  return larderOnTerminal(world, args, { prompt: '? [y/N] ', answers: [reply] }, { env: { ...process.env, LARDER_BACKUP_PASSPHRASE: PASSPHRASE } })
}

const listed = async (): Promise<string> => (await larder(world, ['ls']).done).stdout

describe('larder restore and a host this machine never confirmed', () => {
  it('without a terminal: refused, naming the host; nothing restored, nothing sent there', async () => {
    const refused = await larder(world, ['restore', files.asked], withPassphrase).done
    expect(refused.code).toBe(EXIT_CODES.usage)
    expect(refused.stderr).toContain(`larder: This backup sends tokens to a host that is neither Apicbase's nor this computer: ${host} (Bistro Asked).`)
    expect(refused.stderr).toContain(`larder restore --confirm-host ${host}`)
    expect(refused.stderr).toMatch(/Nothing was restored\.\n$/)
    expect(refused.stdout).toBe('')
    expect(connections).toBe(0)
    expect(await listed()).not.toContain('Bistro Asked')
  })

  it('--dry-run lists the host and asks it nothing', async () => {
    const dry = await larder(world, ['restore', files.asked, '--dry-run'], withPassphrase).done
    expect(dry.code, dry.stderr).toBe(EXIT_CODES.ok)
    expect(dry.stdout).toMatch(/Bistro Asked\s+waits for its host to be confirmed/)
    expect(dry.stderr).toContain(`neither Apicbase's nor this computer: ${host}. If you trust them, add --confirm-host ${host}.`)
    expect(connections).toBe(0)
  })

  it('on a terminal: asks "Send tokens to HOST?"; no refuses and sends nothing, yes restores', async () => {
    const declined = await inTerminal(['restore', files.asked], 'n')
    expect(declined.screen).toContain(`Send tokens to ${host}? [y/N] `)
    expect(declined.code, declined.screen).toBe(EXIT_CODES.usage)
    expect(declined.screen).toContain('Nothing was restored.')
    expect(connections).toBe(0)
    expect(await listed()).not.toContain('Bistro Asked')

    const confirmed = await inTerminal(['restore', files.asked], 'y')
    expect(confirmed.code, confirmed.screen).toBe(EXIT_CODES.ok)
    // The one read with the backed-up access token went to the host (which speaks no TLS: no answer, so paused).
    expect(connections).toBeGreaterThan(0)
    expect(confirmed.screen).toMatch(/Bistro Asked\s+paused/)
    expect(await listed()).toContain('Bistro Asked')
  })

  it('--confirm-host HOST confirms it without a terminal, as larder import takes it', async () => {
    const before = connections
    const restored = await larder(world, ['restore', files.flagged, '--confirm-host', host], withPassphrase).done
    expect(restored.code, restored.stderr).toBe(EXIT_CODES.ok)
    expect(restored.stdout).toMatch(/Bistro Flagged\s+paused/)
    // Its progress, a line each without a terminal (each line also keeps the command's silence timeout from ending it).
    expect(restored.stderr).toContain('Restoring: 1 of 1 backed-up pair checked at the API\nRestoring: 1 of 1 library written\n')
    expect(connections).toBeGreaterThan(before)
    expect(await listed()).toContain('Bistro Flagged')
  })
})
