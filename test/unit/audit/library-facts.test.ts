// Audit entries say which library they were about (issue 19 item 14), as optional fields of the append-only JSONL:
// new entries carry them, old lines without them still read, anything else is still refused.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkInput, readEntry } from '../../../src/main/core/audit/audit-entry.ts'
import { openAuditLog, type AuditLog } from '../../../src/main/core/audit/audit-log.ts'
import { FactualAuditLog, withFacts, type FactsSource } from '../../../src/main/core/audit/library-facts.ts'
import { InputError } from '../../../src/main/core/errors.ts'
import type { LibraryMeta, PersonalEntryMeta } from '../../../src/main/core/model.ts'

const dirs: string[] = []
const logs: AuditLog[] = []
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function record(id: string, overrides: Partial<LibraryMeta> = {}): LibraryMeta {
  return {
    id,
    name: 'Trattoria Oost',
    apicbaseLibraryId: '1003',
    apicbaseLibraryName: 'Trattoria Oost',
    tokenType: 'service_account',
    scopes: ['library'],
    apiBaseUrl: 'https://api.apicbase.com',
    clientId: 'client',
    addedAt: 0,
    issuedAt: 0,
    expiresAt: 1,
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastError: null,
    tokenState: 'active',
    tokenPreview: '…abcd',
    ...overrides
  }
}

/** A vault holding `records` and `entries`, which a test may change. */
function vaultOf(records: LibraryMeta[], entries: PersonalEntryMeta[]): FactsSource {
  return {
    list: () => records,
    get: (id) => records.find((meta) => meta.id === id),
    entries: () => entries,
    entry: (id) => entries.find((entry) => entry.id === id)
  }
}

async function log(): Promise<AuditLog> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-audit-facts-'))
  dirs.push(dir)
  const opened = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => 5 })
  logs.push(opened)
  return opened
}

describe('the facts of an audit entry', () => {
  it('are optional fields: new ones are checked, old lines without them still read, unknown fields are refused', () => {
    const base = { action: 'copied', libraryId: 'e-1', libraryName: 'Trattoria Oost', outcome: 'ok' }
    expect(checkInput({ ...base, apicbaseLibraryId: '1003', tokenType: 'personal', via: 'Pat Partner' })).toEqual({
      ...base,
      apicbaseLibraryId: '1003',
      tokenType: 'personal',
      via: 'Pat Partner'
    })
    expect(readEntry({ seq: 1, at: 2, ...base })).toEqual({ seq: 1, at: 2, ...base })
    expect(() => checkInput({ ...base, tokenType: 'root' })).toThrow(InputError)
    expect(() => checkInput({ ...base, via: 'two\nlines' })).toThrow(InputError)
    expect(() => checkInput({ ...base, accessToken: 'x' })).toThrow(/is not something the audit trail records/)
    expect(readEntry({ seq: 1, at: 2, ...base, refreshToken: 'x' })).toBeNull()
  })

  it('are written with each entry about a library, and still after the library is gone', async () => {
    const records = [record('sa-1'), record('pat', { name: 'Pat Partner', tokenType: 'personal', apicbaseLibraryId: '1001' })]
    const entries: PersonalEntryMeta[] = [
      { id: 'e-1', name: 'Trattoria Oost', connectionId: 'pat', apicbaseLibraryId: '1003', apicbaseLibraryName: 'Trattoria Oost', addedAt: 0, lastUsedAt: null }
    ]
    const audit = new FactualAuditLog(await log(), vaultOf(records, entries))
    const written = await Promise.all([
      audit.append({ action: 'refreshed', libraryId: 'sa-1', libraryName: 'Trattoria Oost', outcome: 'ok' }),
      audit.append({ action: 'copied', libraryId: 'e-1', libraryName: 'Trattoria Oost', outcome: 'ok' }),
      audit.append({ action: 'refreshed', libraryId: 'pat', libraryName: 'Pat Partner', outcome: 'ok' }),
      audit.append({ action: 'unlocked', libraryId: null, libraryName: null, outcome: 'ok' })
    ])
    expect(written.map(({ apicbaseLibraryId, tokenType, via }) => ({ apicbaseLibraryId, tokenType, via }))).toEqual([
      { apicbaseLibraryId: '1003', tokenType: 'service_account', via: undefined },
      { apicbaseLibraryId: '1003', tokenType: 'personal', via: 'Pat Partner' },
      { apicbaseLibraryId: undefined, tokenType: 'personal', via: undefined },
      { apicbaseLibraryId: undefined, tokenType: undefined, via: undefined }
    ])
    records.splice(0, 1)
    const removed = await audit.append({ action: 'removed', libraryId: 'sa-1', libraryName: 'Trattoria Oost', outcome: 'ok' })
    expect(removed).toMatchObject({ apicbaseLibraryId: '1003', tokenType: 'service_account' })
  })

  it('are filled in for an export from the vault, or from a newer entry of a removed library', () => {
    const entries = withFacts(
      [
        { seq: 3, at: 3, action: 'removed', libraryId: 'gone', libraryName: 'Café Zuid', outcome: 'ok', apicbaseLibraryId: '1002', tokenType: 'service_account' },
        { seq: 2, at: 2, action: 'added', libraryId: 'gone', libraryName: 'Café Zuid', outcome: 'ok', tokenType: 'service_account' },
        { seq: 1, at: 1, action: 'added', libraryId: 'sa-1', libraryName: 'Trattoria Oost', outcome: 'ok' }
      ],
      vaultOf([record('sa-1')], [])
    )
    expect(entries.map(({ apicbaseLibraryId, tokenType }) => [apicbaseLibraryId, tokenType])).toEqual([
      ['1002', 'service_account'],
      ['1002', 'service_account'],
      ['1003', 'service_account']
    ])
  })
})
