// Restore and the host rule, through the app's handlers (issue 17, session 9): a backup made on another machine names a
// library on a host that is neither Apicbase's nor this computer. This machine never confirmed it, so the restore's
// plan lists it and asks it nothing; a restore without the confirmation is refused, naming it, with nothing sent (the
// sandbox counts every request) and nothing changed on disk; with it confirmed, the restore goes ahead. Requests to
// any https host are routed to the first machine's sandbox, so the hosts are only names: nothing leaves loopback.
import fs from 'node:fs'
import path from 'node:path'
import { Agent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, RestoreReportView } from '../../../src/shared/contract.ts'
import type { LibraryCredentials, Sandbox } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const PARTNER = 'https://partner-proxy.example'
const PASSPHRASE = 'a backup passphrase of words'

const machines: LarderHarness[] = []
const agents: Agent[] = []
afterEach(async () => {
  for (const machine of machines.splice(0)) await machine.close()
  for (const agent of agents.splice(0)) await agent.close()
})

/** A machine whose requests all reach `target()`'s sandbox; `asked` records the origins Larder asked for. */
async function machine(target: () => Sandbox | null, asked: string[]): Promise<LarderHarness> {
  const made = await startLarder({
    dispatcher: (own) => {
      const agent = new Agent()
      agents.push(agent)
      return agent.compose((dispatch) => (options, handler) => {
        asked.push(String(options.origin))
        return dispatch({ ...options, origin: (target() ?? own).url }, handler)
      })
    }
  })
  machines.push(made)
  return made
}

function pasted(credentials: LibraryCredentials, extra: Partial<CallInput<'libraries.add'>> = {}): CallInput<'libraries.add'> {
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, ...extra }
}

async function answer<T>(result: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const settled = await result
  if (!settled.ok) throw new Error(settled.error?.message)
  return settled.value as T
}

/** Every file in the data folder, with its bytes. */
function onDisk(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]))
}

describe('restoring a backup that names a host this machine never confirmed', () => {
  it('the plan lists the host and asks it nothing; the restore is refused (nothing sent, nothing on disk) until confirmed', async () => {
    // Machine a: one library on the sandbox, one behind a partner's proxy (confirmed there, when it was added).
    const askedByA: string[] = []
    const a = await machine(() => null, askedByA)
    const local = await answer<{ id: string }>(a.handlers['libraries.add'](pasted(a.sandbox.addLibraryWithApplication({ name: 'Bistro Loopback' }), { apiBaseUrl: a.sandbox.url })))
    const proxied = await answer<{ id: string }>(
      a.handlers['libraries.add'](pasted(a.sandbox.addLibraryWithApplication({ name: 'Bistro Proxied' }), { apiBaseUrl: PARTNER, confirmedHost: 'partner-proxy.example' }))
    )
    const file = path.join(a.dir, 'made-elsewhere.age')
    await answer(a.handlers['backup.create']({ path: file, passphrase: PASSPHRASE }))

    // Machine b: a fresh Larder; its requests reach a's sandbox, which counts them.
    const asked: string[] = []
    const b = await machine(() => a.sandbox, asked)
    const hits = (): number => a.sandbox.counters.hits.length

    const plan = await answer<RestoreReportView>(b.handlers['backup.inspect']({ path: file, passphrase: PASSPHRASE }))
    expect(plan.hostsToConfirm).toEqual(['partner-proxy.example'])
    expect(plan.libraries.map((l) => [l.name, l.outcome, l.checkedAtApi])).toEqual([
      ['Bistro Loopback', 'restored', true],
      ['Bistro Proxied', 'confirm_host', false]
    ])
    expect(plan.counts).toMatchObject({ restored: 1, confirm_host: 1 })
    expect(asked.filter((origin) => origin === PARTNER)).toEqual([]) // the loopback one was read; the proxy asked nothing

    // The restore without the confirmation: refused, naming the host; nothing sent, nothing written.
    await b.vault.flush()
    const before = { hits: hits(), asked: asked.length, disk: onDisk(b.dir) }
    const refused = await b.handlers['backup.restore']({ path: file, passphrase: PASSPHRASE })
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'confirmedHosts', message: expect.stringContaining('partner-proxy.example (Bistro Proxied)') } })
    expect(refused.ok ? '' : refused.error.message).toMatch(/Nothing was restored\.$/)
    // A confirmation naming another host (or the same name on another port) is none.
    const mismatched = await b.handlers['backup.restore']({ path: file, passphrase: PASSPHRASE, confirmedHosts: ['partner-proxy.example:8443', 'api.apicbase.com'] })
    expect(mismatched).toMatchObject({ ok: false, error: { field: 'confirmedHosts' } })
    await b.vault.flush()
    expect(hits()).toBe(before.hits)
    expect(asked.length).toBe(before.asked)
    expect(onDisk(b.dir)).toEqual(before.disk)
    expect(b.vault.list()).toEqual([])

    // Confirmed: restored, the proxied pair read once at its host (through the proxy) and kept refreshing there.
    const restored = await answer<RestoreReportView>(b.handlers['backup.restore']({ path: file, passphrase: PASSPHRASE, confirmedHosts: ['partner-proxy.example'] }))
    expect(restored.hostsToConfirm).toEqual([])
    expect(restored.libraries.map((l) => [l.name, l.outcome, l.checkedAtApi])).toEqual([
      ['Bistro Loopback', 'restored', true],
      ['Bistro Proxied', 'restored', true]
    ])
    expect(asked.slice(before.asked).filter((origin) => origin === PARTNER)).toHaveLength(1)
    expect(b.core.libraries.get(proxied.id)).toMatchObject({ apiBaseUrl: PARTNER, status: 'healthy' })
    expect(b.core.libraries.get(local.id)).toMatchObject({ status: 'healthy' })
    expect(askedByA.every((origin) => origin === PARTNER || origin === a.sandbox.url)).toBe(true)
  })
})
