// What the app keeps between a dry run and its import, and what closing the app does to an import under way: a check
// is kept 30 minutes and imported once; the app closing cancels the rows not started and waits for those in flight,
// whose pairs are durable before the vault closes.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function writeCsv(libraries: readonly LibraryCredentials[]): string {
  const file = path.join(h.dir, 'estate.csv')
  const lines = libraries.map((one) => [one.name, one.tokenType, one.clientId, one.clientSecret, one.accessToken, one.refreshToken, h.sandbox.url].join(','))
  fs.writeFileSync(file, ['name,token type,client id,client secret,access token,refresh token,api base url', ...lines].join('\n'), { mode: 0o600 })
  return file
}

describe('imports the app keeps', () => {
  it('a check is kept for 30 minutes for its import, then forgotten', async () => {
    h = await startLarder()
    const file = writeCsv([h.sandbox.addLibraryWithApplication({ name: 'Late' })])
    const checked = await h.handlers['import.dryRun']({ path: file })
    if (!checked.ok) throw new Error(checked.error.message)
    await h.advance(31 * 60_000)
    const late = await h.handlers['import.start']({ importId: checked.value.importId })
    expect(late).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'importId', message: expect.stringMatching(/over 30 minutes old/) } })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(0)
  })

  it('closing the app cancels the rows not started and lets those in flight finish before the vault closes', async () => {
    h = await startLarder()
    const made = Array.from({ length: 10 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Closing ${i + 1}` }))
    const checked = await h.handlers['import.dryRun']({ path: writeCsv(made) })
    if (!checked.ok) throw new Error(checked.error.message)
    h.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 150 })
    let closing: Promise<void> | null = null
    h.app.events.on('import.progress', (progress) => {
      if (progress.done === 1 && closing === null) closing = h.app.close()
    })
    const result = await h.handlers['import.start']({ importId: checked.value.importId })
    await closing
    if (!result.ok) throw new Error(result.error.message)
    expect(result.value.cancelled).toBe(true)
    expect(result.value.counts).toMatchObject({ imported: 4, cancelled: 6 })
    // What went out is what was imported; the vault closed after the four pairs were written.
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(4)
    const vault = fs.readFileSync(h.vaultPath, 'utf8') + (fs.existsSync(`${h.vaultPath}.journal`) ? fs.readFileSync(`${h.vaultPath}.journal`, 'utf8') : '')
    for (const row of result.value.rows.filter((one) => one.status === 'imported')) expect(vault).toContain(row.id ?? 'no id')
  })
})
