// The audit CSV says which library each row is about in words that outlive it (issue 19 item 14): the Apicbase
// library id, the name, and which of two same-named rows it was (the service account, or the library through a
// personal token, named). A removed library's rows still say so; no secret is in the file.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { exportAuditCsv } from '../../../src/main/app/use-cases/audit-trail.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { connectPat, OOST } from '../personal/personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

/** RFC 4180 rows as objects by the header's names. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  const [header, ...body] = rows
  return body.map((cells) => Object.fromEntries((header ?? []).map((name, index) => [name, cells[index] ?? ''])))
}

describe('the audit CSV names each library', () => {
  it('gives the Apicbase library id and tells a service account from the same library through a personal token, removed or not', async () => {
    h = await startLarder()
    const oost = h.sandbox.fixtures.libraries.find((library) => String(library.id) === OOST)
    if (!oost) throw new Error('no Trattoria Oost in the sandbox')
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = oost
    const service = await h.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    const connection = await connectPat(h)
    const [entry] = await h.actions.addPersonalLibraries(connection.id, [OOST])
    if (!entry) throw new Error('no entry')
    expect([service.name, entry.name]).toEqual(['Trattoria Oost', 'Trattoria Oost'])
    await h.actions.refresh(service.id)
    await h.actions.copy(entry.id, 'token')
    const secrets = [...Object.values(await h.vault.secrets(service.id)), ...Object.values(await h.vault.secrets(connection.id)), clientSecret, accessToken, refreshToken]
    // The service account goes; its rows must still say what it was.
    await h.actions.remove(service.id, 'Trattoria Oost')
    await h.nextTurn()

    const { csv } = await exportAuditCsv({ audit: h.core.audit, vault: h.core.vault }, {})
    expect(csv.split('\r\n')[0]).toBe('seq,time,action,libraryId,apicbaseLibraryId,libraryName,tokenType,via,outcome,detail')
    const rows = parseCsv(csv)
    const ofService = rows.filter((row) => row.libraryId === service.id)
    const ofEntry = rows.filter((row) => row.libraryId === entry.id)
    expect(ofService.map((row) => row.action)).toEqual(['removed', 'refreshed', 'added'])
    expect(ofEntry.map((row) => row.action)).toEqual(expect.arrayContaining(['copied', 'added']))
    for (const row of ofService) expect(row).toMatchObject({ apicbaseLibraryId: OOST, libraryName: 'Trattoria Oost', tokenType: 'service_account', via: '' })
    for (const row of ofEntry) expect(row).toMatchObject({ apicbaseLibraryId: OOST, libraryName: 'Trattoria Oost', tokenType: 'personal', via: 'Pat (personal)' })
    // The personal token's own row is the token, not a library: no Apicbase library id.
    const ofToken = rows.filter((row) => row.libraryId === connection.id)
    expect(ofToken.length).toBeGreaterThan(0)
    for (const row of ofToken) expect(row).toMatchObject({ apicbaseLibraryId: '', libraryName: 'Pat (personal)', tokenType: 'personal', via: '' })

    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    for (const secret of secrets) {
      expect(csv).not.toContain(secret)
      expect(trail).not.toContain(secret)
    }
  })
})
