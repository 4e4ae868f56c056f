// The terminal's read and refresh calls through the real app (sandbox on loopback, passphrase vault), each answer
// checked against the terminal table's output schema (strict: a field the table does not have fails): `ls`, `status`,
// `refresh`, and a vault that is locked answering kind 'vault' with its state.
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { createLarderApp } from '../../../src/main/app/create-app.ts'
import { terminalCalls, type TerminalAnswers } from '../../../src/shared/contract.ts'
import type { ClientFacts, TerminalCallName, TerminalResult } from '../../../src/shared/terminal-words.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const MINUTE = 60_000
const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'ls' }

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function started(): Promise<LarderHarness> {
  const harness = await startLarder()
  harness.app.events.on('terminal.requested', (request) => harness.app.terminal.access.approve(request.requestId))
  h = harness
  return harness
}

async function call<N extends TerminalCallName>(harness: LarderHarness, name: N, input: unknown): Promise<TerminalAnswers[N]> {
  const result: TerminalResult = await harness.app.terminal.handlers[name](input, FACTS, () => undefined)
  if (!result.ok) throw new Error(`${name} refused: ${result.error.kind}: ${result.error.message}`)
  return terminalCalls[name].output.parse(result.value) as TerminalAnswers[N]
}

async function added(harness: LarderHarness, name: string): Promise<string> {
  const credentials = harness.sandbox.addLibraryWithApplication({ name })
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
  return (await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })).id
}

describe('terminal ls, status and refresh', () => {
  it('ls lists every library by name with its status, provider and time left', async () => {
    const h = await started()
    const zuid = await added(h, 'Zuid')
    const acme = await added(h, 'Acme')
    await h.advance(10 * MINUTE)
    const { libraries } = await call(h, 'ls', {})
    expect(libraries.map((row) => [row.id, row.name, row.provider, row.status, row.tokenType])).toEqual([
      [acme, 'Acme', 'apicbase', 'healthy', 'service_account'],
      [zuid, 'Zuid', 'apicbase', 'healthy', 'service_account']
    ])
    const expiresAt = h.core.libraries.get(acme).expiresAt ?? 0
    expect(libraries[0]).toMatchObject({ expiresAt, timeLeftMs: expiresAt - h.clock.now() })
  })

  it('status names one library with its health, last refresh, last error and rate limit', async () => {
    const h = await started()
    const id = await added(h, 'Brasserie Nord')
    const status = await call(h, 'status', { library: 'brasserie' })
    expect(status).toMatchObject({ id, name: 'Brasserie Nord', lastRefreshedAt: h.core.libraries.get(id).lastRefreshedAt, lastError: null })
    expect(status).toHaveProperty('health')
    expect(status).toHaveProperty('rateLimit')
  })

  it('refresh refreshes at the sandbox once and answers the new row', async () => {
    const h = await started()
    const id = await added(h, 'Brasserie Nord')
    const before = h.sandbox.counters.hits.filter((hit) => hit.route === 'token').length
    await h.advance(MINUTE)
    const row = await call(h, 'refresh', { library: 'Brasserie Nord' })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token').length).toBe(before + 1)
    expect(row).toMatchObject({ id, status: 'healthy', expiresAt: h.core.libraries.get(id).expiresAt })
    expect(h.core.libraries.get(id).lastRefreshedAt).toBe(h.clock.now())
  })

  it('a locked vault answers kind vault with the state locked, and asks nobody', async () => {
    const h = await started()
    await h.app.close()
    const relaunched = createLarderApp({
      info: { name: 'Larder', version: 'test', host: 'browser' },
      storage: { vaultPath: path.join(h.dir, 'vault.json'), auditPath: path.join(h.dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: h.dir, configName: 'vault', configFileMode: 0o600 }) },
      keychain: null,
      clipboard: { copySecret: () => ({ clearsAt: null }) },
      scryptCost: FAST_SCRYPT
    })
    const asked: unknown[] = []
    relaunched.events.on('terminal.requested', (request) => asked.push(request))
    try {
      expect(await relaunched.start()).toEqual({ state: 'locked', mode: 'unlock' })
      for (const name of ['ls', 'token'] as const) {
        const answer = await relaunched.terminal.handlers[name](name === 'ls' ? {} : { library: 'x', format: 'raw' }, FACTS, () => undefined)
        expect(answer).toEqual({ ok: false, error: { kind: 'vault', vaultState: 'locked', message: 'Larder is locked: unlock it in the app first.' } })
      }
      expect(asked).toEqual([])
    } finally {
      await relaunched.close()
    }
  })
})
