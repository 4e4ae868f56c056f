// A restore's plan and the host rule (issue 17, session 9): a backup made elsewhere may name API hosts this machine never
// confirmed. The plan lists every host that is neither Apicbase's nor this computer (nor a key system's own) that the
// restore would send to, now (the one read with a backed-up access token) or later (refreshes, a moved library taken
// back, a key's daily check); it asks such a host nothing until confirmed, and a restore without the confirmation is
// refused before anything is read at the API or written.
import { describe, expect, it, vi } from 'vitest'
import type { BackupDocument, BackupLibrary } from '../../../src/main/core/estate/backup/document.ts'
import { restoreBackup, type RestorePorts } from '../../../src/main/core/estate/backup/restore.ts'
import { planRestore, type PlanPorts } from '../../../src/main/core/estate/backup/restore-plan.ts'
import type { KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import type { Vault } from '../../../src/main/core/vault/index.ts'
import { makeKey } from '../vault/key-fixtures.ts'
import { makeMeta, makeSecrets } from '../vault/fixtures.ts'

const NOW = 1_700_000_000_000 + 86_400_000

function library(id: string, apiBaseUrl: string, overrides: Partial<LibraryMeta> = {}): BackupLibrary {
  return { meta: makeMeta(id, { name: `Bistro ${id}`, apiBaseUrl, ...overrides }), secrets: makeSecrets(id) }
}

function backup(libraries: readonly BackupLibrary[], keys: readonly { meta: KeyMeta; token: string }[] = []): BackupDocument {
  return { format: 'larder-backup', version: 1, createdAt: NOW - 3_600_000, source: { machine: 'elsewhere' }, move: null, libraries, entries: [], keys, settings: {} }
}

/** A machine that holds nothing yet, and records every write a restore asks of it. */
function emptyVault(): Vault & { readonly writes: string[] } {
  const writes: string[] = []
  const write = (what: string) => async () => void writes.push(what)
  return {
    writes,
    get: () => undefined,
    list: () => [],
    keys: () => [],
    key: () => undefined,
    isSpent: () => false,
    secrets: async () => {
      throw new Error('nothing here')
    },
    restoreLibrary: write('library'),
    patch: write('patch'),
    setHold: write('hold'),
    addKey: write('key'),
    addEntries: write('entries'),
    updateSettings: write('settings')
  } as unknown as Vault & { readonly writes: string[] }
}

const live = async () => ({ verdict: 'live' as const, status: '200' })

const document = backup([
  library('apicbase', 'https://api.apicbase.com'),
  library('sandbox', 'http://127.0.0.1:4010'),
  library('proxied', 'https://partner-proxy.example'),
  library('proxied-dead', 'https://partner-proxy.example', { tokenState: 'needs_reauth' }),
  library('moved', 'https://moved-proxy.example', { tokenState: 'moved', hold: { kind: 'moved', at: NOW - 7_200_000, message: 'moved', to: '/media/move.age', was: 'active' } })
])

describe('the restore plan and the hosts it needs confirmed', () => {
  it('lists each host that is neither Apicbase nor loopback, and asks it nothing until confirmed', async () => {
    const check = vi.fn<PlanPorts['check']>(live)
    const plan = await planRestore(document, { vault: emptyVault(), check }, { takeOver: false, confirmedHosts: [] })
    // The needs-re-authorization record sends nothing until a re-authorization, which asks for its host itself.
    expect(plan.hostsToConfirm).toEqual(['partner-proxy.example', 'moved-proxy.example'])
    expect(check.mock.calls.map(([checked]) => checked.meta.id)).toEqual(['apicbase', 'sandbox'])
    expect(plan.decisions.map((d) => [d.backup.meta.id, d.outcome])).toEqual([
      ['apicbase', 'restored'],
      ['sandbox', 'restored'],
      ['proxied', 'confirm_host'],
      ['proxied-dead', 'restored'],
      ['moved', 'confirm_host']
    ])
    const proxied = plan.decisions[2]
    expect(proxied).toMatchObject({ write: 'none', decidedBy: 'host', host: 'partner-proxy.example' })
    expect(proxied?.reason).toContain('confirm that you trust partner-proxy.example to restore it')

    const confirmed = await planRestore(document, { vault: emptyVault(), check }, { takeOver: false, confirmedHosts: ['partner-proxy.example', 'moved-proxy.example'] })
    expect(confirmed.hostsToConfirm).toEqual([])
    expect(check.mock.calls.slice(2).map(([checked]) => checked.meta.id)).toEqual(['apicbase', 'sandbox', 'proxied'])
    expect(confirmed.decisions.map((d) => d.outcome)).toEqual(['restored', 'restored', 'restored', 'restored', 'restored'])
  })

  it('a confirmation of one host does not stand for another', async () => {
    const check = vi.fn<PlanPorts['check']>(live)
    const plan = await planRestore(document, { vault: emptyVault(), check }, { takeOver: false, confirmedHosts: ['moved-proxy.example', 'partner-proxy.example:8443'] })
    expect(plan.hostsToConfirm).toEqual(['partner-proxy.example'])
    expect(check.mock.calls.map(([checked]) => checked.meta.id)).toEqual(['apicbase', 'sandbox'])
  })
})

describe('a restore with a host not confirmed', () => {
  const keys = [
    { meta: makeKey('svc', 'service_token'), token: 'st_live_0001' }, // its check URL is on automation.example.com
    { meta: makeKey('air', 'airtable'), token: 'pat_0001' } // api.airtable.com: Airtable's own
  ]
  const ports = (vault: Vault, check: PlanPorts['check']): RestorePorts => ({ vault, now: () => NOW, check, track: () => undefined, audit: () => undefined })

  it('is refused before one read at the API or one write, naming the hosts; the plan lists them and the key waiting', async () => {
    const check = vi.fn<PlanPorts['check']>(live)
    const vault = emptyVault()
    const file = backup(document.libraries, keys)
    await expect(restoreBackup(file, ports(vault, check), { dryRun: false, takeOver: false, file: '/backups/elsewhere.age', confirmedHosts: ['partner-proxy.example'] })).rejects.toMatchObject({
      name: 'InputError',
      field: 'confirmedHosts',
      hosts: ['moved-proxy.example', 'automation.example.com'],
      message: expect.stringMatching(/moved-proxy\.example \(Bistro moved\); automation\.example\.com \(Key svc\)\..*Nothing was restored\.$/)
    })
    expect(check).not.toHaveBeenCalled()
    expect(vault.writes).toEqual([])

    const plan = await restoreBackup(file, ports(vault, check), { dryRun: true, takeOver: false, file: '/backups/elsewhere.age', confirmedHosts: [] })
    expect(plan.hostsToConfirm).toEqual(['partner-proxy.example', 'moved-proxy.example', 'automation.example.com'])
    expect(plan.keys.map((k) => [k.name, k.outcome])).toEqual([
      ['Key svc', 'confirm_host'],
      ['Key air', 'restored']
    ])
    expect(plan.counts).toMatchObject({ restored: 3, confirm_host: 2 })
    expect(vault.writes).toEqual([])
  })

  it('goes ahead once every host is confirmed', async () => {
    const check = vi.fn<PlanPorts['check']>(live)
    const vault = emptyVault()
    const report = await restoreBackup(backup(document.libraries, keys), ports(vault, check), {
      dryRun: false,
      takeOver: false,
      file: '/backups/elsewhere.age',
      confirmedHosts: ['partner-proxy.example', 'moved-proxy.example', 'automation.example.com']
    })
    expect(report.hostsToConfirm).toEqual([])
    expect(report.libraries.map((l) => l.outcome)).toEqual(['restored', 'restored', 'restored', 'restored', 'restored'])
    expect(check).toHaveBeenCalledTimes(3)
    expect(vault.writes.filter((w) => w === 'library')).toHaveLength(5)
    expect(vault.writes.filter((w) => w === 'key')).toHaveLength(2)
  })
})
