// The configuration without secrets (issue 17, item 4), and keys of other systems in a backup: restored as they were,
// except a key whose token Larder recorded as replaced (regenerated) since the backup was made.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConfigWrittenView, RestoreReportView } from '../../../src/shared/contract.ts'
import { BACKUP_PASSPHRASE, call, startEstateWorld, type EstateWorld, type Machine } from './estate-world.ts'

let world: EstateWorld
afterEach(async () => {
  await world?.close()
})

const SERVICE_TOKEN_DETAILS = { serviceUser: 'svc-larder', environment: 'production', expiresAt: null, checkUrl: null, envName: 'SERVICE_TOKEN' }

async function addKey(machine: Machine, name: string, token: string): Promise<string> {
  const key = await machine.app.actions()!.keys.add({ system: 'service_token', name, customer: 'Grill Haven', token, details: SERVICE_TOKEN_DETAILS })
  return key.id
}

/** Every secret the vault holds, opened: client secrets, access and refresh tokens, keys' tokens. */
async function secretsOf(machine: Machine): Promise<string[]> {
  const found: string[] = []
  for (const meta of machine.core.vault.list()) found.push(...Object.values(await machine.core.vault.secrets(meta.id)))
  for (const key of machine.core.vault.keys()) found.push((await machine.core.vault.keySecret(key.id)).token)
  return found
}

describe('configuration without secrets', () => {
  it('names every library and key, and holds no secret of the vault (nor a client ID or token preview)', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const nord = await a.add('Bistro Nord')
    await a.add('Grill Haven Centrum')
    await call(a.handlers, 'libraries.update', { id: nord.id, customer: 'Bistro Nord Group' })
    await addKey(a, 'Deploy token', 'st_live_0123456789abcdef')
    const file = path.join(a.dir, 'config.json')
    const written = await call<ConfigWrittenView>(a.handlers, 'config.export', { path: file })
    expect(written).toMatchObject({ path: file, libraries: 2, keys: 1 })
    const text = fs.readFileSync(file, 'utf8')
    const document = JSON.parse(text) as Record<string, unknown>
    expect(document).toMatchObject({
      format: 'larder-config',
      version: 1,
      libraries: [
        { name: 'Bistro Nord', apicbaseLibraryId: String(nord.credentials.id), apiBaseUrl: world.sandbox.url, tokenType: 'service_account', customer: 'Bistro Nord Group' },
        { name: 'Grill Haven Centrum', tokenType: 'service_account' }
      ],
      keys: [{ name: 'Deploy token', system: 'service_token', customer: 'Grill Haven', details: { serviceUser: 'svc-larder', environment: 'production' } }]
    })
    const secrets = await secretsOf(a)
    expect(secrets.length).toBe(7)
    for (const secret of secrets) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(`…${secret.slice(-4)}`) // not even a preview
    }
    for (const meta of a.core.vault.list()) expect(text).not.toContain(meta.clientId)
  })
})

describe('keys in a backup', () => {
  it('come back as they were; one regenerated since the backup is not restored with its old token', async () => {
    world = await startEstateWorld()
    const a = await world.machine('a')
    const kept = await addKey(a, 'Reporting token', 'st_live_reporting_0001')
    const rotated = await addKey(a, 'Deploy token', 'st_live_deploy_0001')
    const file = path.join(a.dir, 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    // Recorded as replaced, as a regenerated Airtable token is (keys.regenerate), in the vault's own call.
    await a.core.vault.replaceKeyToken(rotated, 'st_live_deploy_0002')
    await a.core.vault.removeKey(kept)
    await a.core.vault.removeKey(rotated)

    const report = await call<RestoreReportView>(a.handlers, 'backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(report.keys.map((k) => [k.name, k.outcome])).toEqual([
      ['Reporting token', 'restored'],
      ['Deploy token', 'replaced_since']
    ])
    expect((await a.core.vault.keySecret(kept)).token).toBe('st_live_reporting_0001')
    expect(a.core.vault.key(rotated)).toBeUndefined()
    expect(JSON.stringify(report)).not.toContain('st_live_')
  })
})
