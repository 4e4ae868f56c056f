// One row's cells as the input the add dialog would send: each problem a row can have before the core sees it
// (system unknown, a field missing, a column its system has no use for, a value that is not a date / yes-no / list),
// and never the value itself in a message.
import { describe, expect, it } from 'vitest'
import { readRow, type SheetRow } from '../../../src/main/core/estate/import/index.ts'
import type { Cells } from '../../../src/main/core/estate/import/read-sheet.ts'

const row = (cells: Cells, unreadable: string | null = null): SheetRow => ({ row: 1, line: 2, cells, unreadable })
const read = (cells: Cells) => readRow(row(cells))
const library: Cells = { name: 'Café Zuid', tokenType: 'Service Account', clientId: 'c1', clientSecret: 'cs_secret_1', accessToken: 'at_secret_1', refreshToken: 'rt_secret_1' }

describe('an Apicbase row', () => {
  it('is the add dialog’s input; the system defaults to Apicbase and the token type reads as a person writes it', () => {
    const reading = read({ ...library, apiBaseUrl: 'https://api.apicbase.com', customer: 'Zuid Group' })
    expect(reading).toMatchObject({ name: 'Café Zuid', system: 'apicbase', problems: [] })
    expect(reading.request).toEqual({
      system: 'apicbase',
      input: { tokenType: 'service_account', name: 'Café Zuid', clientId: 'c1', clientSecret: 'cs_secret_1', accessToken: 'at_secret_1', refreshToken: 'rt_secret_1', apiBaseUrl: 'https://api.apicbase.com', customer: 'Zuid Group' }
    })
    expect(reading.secrets).toEqual(expect.arrayContaining(['cs_secret_1', 'at_secret_1', 'rt_secret_1']))
    for (const type of ['connected-application', 'CONNECTED APPLICATION', 'personal']) expect(read({ ...library, tokenType: type }).problems, type).toEqual([])
  })

  it('names every missing field at once', () => {
    const reading = read({ name: 'Café Zuid', clientId: 'c1' })
    expect(reading.request).toBeNull()
    expect(reading.problems.map((problem) => problem.field)).toEqual(['token type', 'client secret', 'access token', 'refresh token'])
    expect(reading.problems[0]?.message).toBe('The token type is missing.')
  })

  it('refuses an unknown token type without repeating it', () => {
    const reading = read({ ...library, tokenType: 'rt_looks_like_a_token' })
    expect(reading.problems).toEqual([{ field: 'token type', message: 'The token type is not one of service_account, connected_application, personal.' }])
  })

  it('refuses a value in a column an Apicbase library has no use for (a shifted column)', () => {
    expect(read({ ...library, token: 'key_secret' }).problems).toEqual([{ field: 'token', message: 'Apicbase rows have no token; leave it empty.' }])
  })

  it('refuses notes, which only keys have', () => {
    expect(read({ ...library, notes: 'call Pat first' }).problems).toEqual([{ field: 'notes', message: 'Apicbase rows have no notes; leave it empty.' }])
  })
})

describe('a key row', () => {
  it('reads each system’s details: SafetyCulture', () => {
    const reading = read({ system: 'SafetyCulture', name: 'Grill', token: 'sc_tok', kind: 'service user', organisation: 'Grill Haven', owner: 'Pat', keepAlive: 'yes', customer: 'Grill Haven' })
    expect(reading.request).toEqual({
      system: 'safetyculture',
      input: { system: 'safetyculture', name: 'Grill', token: 'sc_tok', customer: 'Grill Haven', details: { kind: 'service_user', organisation: 'Grill Haven', owner: 'Pat', keepAlive: true } }
    })
  })

  it('Airtable: scopes split on spaces, commas or semicolons; bases on semicolons or lines', () => {
    const reading = read({ system: 'airtable', name: 'Base', token: 'pat1', scopes: 'data.records:read, schema.bases:read', bases: 'app1; Recipes, 2026\nappX' })
    expect(reading.request?.input).toMatchObject({ details: { scopes: ['data.records:read', 'schema.bases:read'], bases: ['app1', 'Recipes, 2026', 'appX'] } })
  })

  it('service token: a date, a header name, a check URL and a variable', () => {
    const reading = read({ system: 'service-token', name: 'Deploy', token: 'svc1', serviceUser: 'deploy-bot', environment: 'production', expires: '2027-03-31', headerName: 'X-Api-Key', checkUrl: 'https://svc.example/check', envName: 'DEPLOY_TOKEN' })
    expect(reading.request?.input).toMatchObject({
      system: 'service_token',
      details: { serviceUser: 'deploy-bot', environment: 'production', expiresAt: Date.parse('2027-03-31T00:00:00Z'), carry: { kind: 'header', name: 'X-Api-Key' }, checkUrl: 'https://svc.example/check', envName: 'DEPLOY_TOKEN' }
    })
    expect(read({ system: 'service_token', name: 'D', token: 't', serviceUser: 'u', environment: 'e' }).request?.input).toMatchObject({ details: { expiresAt: null } })
  })

  it('says what it cannot read: a date, yes/no, a carry without its header, an unknown system', () => {
    expect(read({ system: 'service_token', name: 'D', token: 't', expires: 'next tuesday' }).problems).toEqual([expect.objectContaining({ field: 'expires' })])
    expect(read({ system: 'safetyculture', name: 'G', token: 't', keepAlive: 'maybe' }).problems).toEqual([expect.objectContaining({ field: 'keep alive' })])
    expect(read({ system: 'service_token', name: 'D', token: 't', carry: 'header' }).problems).toEqual([expect.objectContaining({ field: 'header name' })])
    expect(read({ system: 'Gitlab', name: 'D', token: 't' })).toMatchObject({ system: null, request: null, problems: [{ field: 'system' }] })
    expect(read({ system: 'airtable', name: 'D' }).problems).toEqual([{ field: 'token', message: 'The token is missing.' }])
  })

  it('keeps a row that could not be read as a whole as a problem of the row', () => {
    const reading = readRow(row({ name: 'A', system: 'airtable', token: 't' }, 'The row has 3 fields; the header has 2'))
    expect(reading.request).toBeNull()
    expect(reading.problems).toEqual([{ field: 'row', message: 'The row has 3 fields; the header has 2' }])
  })
})
