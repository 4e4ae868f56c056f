// Each use case against the sandbox, called with its own narrow ports (the parts of the core it names, and a memory
// clipboard where the app would have the system's). The app's handlers call exactly these.
import { afterEach, describe, expect, it } from 'vitest'
import { addLibrary } from '../../../src/main/app/use-cases/add-library.ts'
import { auditPage, exportAuditCsv } from '../../../src/main/app/use-cases/audit-trail.ts'
import { copyToken } from '../../../src/main/app/use-cases/copy-token.ts'
import { reauthorizeLibrary } from '../../../src/main/app/use-cases/reauthorize-library.ts'
import { refreshLibrary } from '../../../src/main/app/use-cases/refresh-library.ts'
import { removeLibrary } from '../../../src/main/app/use-cases/remove-library.ts'
import { revokeLibrary } from '../../../src/main/app/use-cases/revoke-library.ts'
import { readSettings, updateSettings } from '../../../src/main/app/use-cases/settings.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function pasted(credentials: LibraryCredentials, apiBaseUrl: string): Record<string, string> {
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl }
}

async function added(): Promise<{ id: string; credentials: LibraryCredentials }> {
  const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Use Case' })
  const library = await addLibrary({ libraries: h.core.libraries, connected: (a) => h.core.connected(a), audit: h.core.audit }, pasted(credentials, h.sandbox.url))
  return { id: library.id, credentials }
}

describe('use cases, each with its own ports', () => {
  it('add: checks the pasted pair with a refresh and stores the rotated pair', async () => {
    h = await startLarder()
    const { id, credentials } = await added()
    expect(h.core.libraries.get(id)).toMatchObject({ name: 'Bistro Use Case', status: 'healthy' })
    expect(h.core.vault.isSpent(credentials.refreshToken)).toBe(true)
  })

  it('refresh: rotates the pair once, and the old refresh token is spent', async () => {
    h = await startLarder()
    const { id } = await added()
    const before = await h.core.vault.secrets(id, ['refreshToken'])
    const refreshed = await refreshLibrary({ libraries: h.core.libraries }, id)
    expect(refreshed.status).toBe('healthy')
    expect(h.core.vault.isSpent(before.refreshToken)).toBe(true)
  })

  it('copy: puts a fresh token on the clipboard in the asked format, and answers only a preview', async () => {
    h = await startLarder()
    const { id } = await added()
    const ports = { vault: h.core.vault, libraries: h.core.libraries, personal: h.core.personal, engine: h.core.engine, health: h.core.health, audit: h.core.audit, clock: h.core.clock, sink: memorySink() }
    const receipt = await copyToken(ports, id, 'header')
    const { accessToken } = await h.core.vault.secrets(id, ['accessToken'])
    expect(ports.sink.copied).toEqual([`Authorization: Bearer ${accessToken}`])
    expect(receipt).toEqual({ libraryId: id, format: 'header', preview: `…${accessToken.slice(-4)}`, clearsAt: null })
    expect(JSON.stringify(receipt)).not.toContain(accessToken)
    expect((await auditPage({ audit: h.core.audit }, { limit: 5, action: 'copied' })).entries[0]).toMatchObject({ libraryId: id, outcome: 'ok' })
  })

  it('revoke, then re-authorize with the owner\'s new pair, then remove', async () => {
    h = await startLarder()
    const { id, credentials } = await added()
    expect((await revokeLibrary({ libraries: h.core.libraries }, id)).status).toBe('revoked')
    const pair = h.sandbox.issueTokenPair({ clientId: credentials.clientId, kind: credentials.tokenType, libraryId: credentials.id, scopes: credentials.scopes })
    const back = await reauthorizeLibrary({ libraries: h.core.libraries }, id, { accessToken: pair.accessToken, refreshToken: pair.refreshToken })
    expect(back.status).toBe('healthy')
    await expect(removeLibrary({ libraries: h.core.libraries, personal: h.core.personal }, id, 'not its name')).rejects.toThrow(/Type the library's name/)
    expect(await removeLibrary({ libraries: h.core.libraries, personal: h.core.personal }, id, 'Bistro Use Case')).toEqual({ removed: id })
    expect(h.core.vault.list()).toEqual([])
  })

  it('settings: a new threshold re-plans every library; the audit trail exports as CSV and records the export', async () => {
    h = await startLarder()
    const { id } = await added()
    const ports = { vault: h.core.vault, replan: () => h.core.replan(), audit: h.core.audit }
    expect(readSettings(ports).expiringSoonMs).toBe(48 * 3_600_000)
    // One rule for base URLs: a default that every add would then refuse is refused here, and nothing changes.
    const before = readSettings(ports)
    await expect(updateSettings(ports, { defaultApiBaseUrl: 'https://api.apicbase.com/api/v2' })).rejects.toThrow(/without the path \/api\/v2/)
    expect(readSettings(ports)).toEqual(before)
    const issuedAt = h.core.libraries.get(id).lastRefreshedAt
    await updateSettings(ports, { refreshAheadMs: 6 * 86_400_000 })
    // Seven days left, and Larder now refreshes half-way through the token's life (sooner than six days ahead):
    // not yet after three days, but by four it has (issue 13: this asserted the old "expiring soon" false alarm).
    await h.advance(3 * 86_400_000)
    expect(h.core.libraries.get(id).lastRefreshedAt).toBe(issuedAt)
    await h.advance(86_400_000)
    expect(h.core.libraries.get(id).lastRefreshedAt).toBeGreaterThan(issuedAt!)
    expect(h.core.libraries.get(id).status).toBe('healthy')
    const { csv, rows } = await exportAuditCsv({ audit: h.core.audit, vault: h.core.vault }, { libraryId: id })
    expect(rows).toBeGreaterThan(0)
    expect(csv.split('\n')[0]).toMatch(/seq/)
    await h.nextTurn()
    expect((await auditPage({ audit: h.core.audit }, { limit: 1 })).entries[0]).toMatchObject({ action: 'exported' })
  })
})

function memorySink(): { copied: string[]; copySecret(text: string): { clearsAt: null } } {
  const copied: string[] = []
  return {
    copied,
    copySecret(text) {
      copied.push(text)
      return { clearsAt: null }
    }
  }
}
