// The dry run's judgement of rows that only a file can bring: a token pair Larder holds right now (importing it would
// spend the pair that library uses), a key's token Larder holds or replaced, a key's token twice in the file, a key
// sent to a host that is not its system's own (a problem naming the host, until the import is told to trust it), a
// service-account client ID twice in the file. Nothing is sent for any of it (the sandbox's counters, the fakes').
import { describe, expect, it } from 'vitest'
import { dryRunImport, runImport } from '../../../src/main/app/use-cases/import-estate.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { keysWorlds } from '../../support/keys-world.ts'

const started = keysWorlds()

const csv = (rows: readonly (readonly string[])[]): string => rows.map((row) => row.join(',')).join('\n')

describe('what the dry run finds beyond a row itself', () => {
  it('a pair Larder holds now (a connected application: the partner’s client ID tells nothing) is a duplicate, never sent', async () => {
    const { h } = await started()
    const west = h.sandbox.fixtures.libraries[3] as LibraryCredentials
    expect(west.tokenType).toBe('connected_application')
    const added = await h.actions.add({ tokenType: west.tokenType, name: 'Bistro West', clientId: west.clientId, clientSecret: west.clientSecret, accessToken: west.accessToken, refreshToken: west.refreshToken, apiBaseUrl: h.sandbox.url })
    // The pair Larder holds now (rotated by the add's check), as an export of it would carry it.
    const held = await h.vault.secrets(added.id)
    const text = csv([
      ['name', 'token type', 'client id', 'client secret', 'access token', 'refresh token', 'api base url'],
      ['Bistro West (export)', 'connected_application', west.clientId, west.clientSecret, held.accessToken, held.refreshToken, h.sandbox.url]
    ])
    const hits = h.sandbox.counters.hits.length
    const report = await dryRunImport(h.core, { text, fileName: 'export.csv' })
    expect(report.rows[0]).toMatchObject({ status: 'duplicate', problems: [{ field: 'refresh token', message: expect.stringMatching(/^Larder already holds this token pair \("Bistro West" .*\)\. Importing it would spend the pair that library uses/) }] })
    const imported = await runImport(h.core, { text, fileName: 'export.csv' })
    expect(imported.rows[0]?.status).toBe('duplicate')
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(JSON.stringify([report, imported])).not.toContain(held.refreshToken)
  })

  it('a service account’s client ID twice in the file: the second row is the same library', async () => {
    const { h } = await started()
    const grill = h.sandbox.addLibraryWithApplication({ name: 'Grill Haven' })
    const other = h.sandbox.issueTokenPair({ clientId: grill.clientId, kind: 'service_account', libraryId: grill.id, scopes: grill.scopes })
    const row = (name: string, pair: { accessToken: string; refreshToken: string }): string[] => [name, 'service_account', grill.clientId, grill.clientSecret, pair.accessToken, pair.refreshToken, h.sandbox.url]
    const text = csv([['name', 'token type', 'client id', 'client secret', 'access token', 'refresh token', 'api base url'], row('Grill Haven', grill), row('Grill Haven 2', other)])
    const report = await dryRunImport(h.core, { text, fileName: 'twice.csv' })
    expect(report.rows.map((one) => one.status)).toEqual(['ready', 'duplicate'])
    expect(report.rows[1]?.message).toMatch(/^Row 1 has the same client ID and token type: most likely the same library/)
  })

  it('a customer label goes with the library, as the add dialog’s; a bad one is a problem of its row', async () => {
    const { h } = await started()
    const [one, two] = [h.sandbox.addLibraryWithApplication({ name: 'Grill Haven' }), h.sandbox.addLibraryWithApplication({ name: 'Grill Oost' })]
    const row = (pair: LibraryCredentials, customer: string): string[] => [pair.name, 'service_account', pair.clientId, pair.clientSecret, pair.accessToken, pair.refreshToken, h.sandbox.url, customer]
    const text = csv([['name', 'token type', 'client id', 'client secret', 'access token', 'refresh token', 'api base url', 'customer'], row(one, 'Grill Haven Group'), row(two, 'x'.repeat(201))])
    const report = await runImport(h.core, { text, fileName: 'labels.csv' })
    expect(report.rows.map((one) => one.status)).toEqual(['imported', 'problem'])
    expect(report.rows[1]?.problems[0]?.field).toBe('customer')
    expect(h.core.libraries.get(report.rows[0]?.id ?? '')).toMatchObject({ name: 'Grill Haven', customer: 'Grill Haven Group' })
  })

  it('keys: one Larder holds, one it replaced, one twice in the file, one on a host not its system’s own', async () => {
    const { h, fakes } = await started()
    const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
    const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
    const issue = (): string => fakes.safetyCulture.issueUserToken(user.id).value
    const details = { kind: 'user' as const, organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: fakes.safetyCulture.url }
    const heldToken = issue()
    await h.core.keys.add({ system: 'safetyculture', name: 'Held', token: heldToken, details })
    const replacedToken = issue()
    const replaced = await h.core.keys.add({ system: 'safetyculture', name: 'Replaced', token: replacedToken, details })
    await h.vault.replaceKeyToken(replaced.id, issue())
    const fresh = issue()
    const proxied = issue()
    const header = ['name', 'system', 'token', 'kind', 'organisation', 'owner', 'api base url', 'customer']
    const row = (name: string, token: string, url = fakes.safetyCulture.url): string[] => [name, 'safetyculture', token, 'user', 'Grill Haven Group', 'Pat Jansen', url, 'Grill Haven']
    const text = csv([
      header,
      row('Held again', heldToken),
      row('Replaced again', replacedToken),
      row('Fresh', fresh),
      row('Fresh twice', fresh),
      row('Proxied', proxied, 'https://sc-proxy.example'),
      ['Service', 'service token', 'svc_tok', '', '', '', '', '']
    ])
    const report = await dryRunImport(h.core, { text, fileName: 'keys.csv' })
    expect(report.rows.map((one) => `${one.name}: ${one.status}`)).toEqual([
      'Held again: duplicate',
      'Replaced again: spent',
      'Fresh: ready',
      'Fresh twice: duplicate',
      'Proxied: problem',
      'Service: problem'
    ])
    expect(report.rows[0]?.message).toBe('Larder already holds this token (key "Held"). Not imported.')
    expect(report.rows[1]?.message).toMatch(/replaced by a newer one/)
    expect(report.rows[3]?.message).toBe('Row 3 has the same token; only row 3 is imported.')
    expect(report.rows[4]).toMatchObject({ hostToConfirm: 'sc-proxy.example', problems: [{ field: 'api base url' }] })
    // A service token needs its service user and environment (its system's own schema says so).
    expect(report.rows[5]?.problems[0]?.field).toBe('service user')
    expect(report.hostsToConfirm).toEqual(['sc-proxy.example'])
    const trusting = await dryRunImport(h.core, { text, fileName: 'keys.csv' }, { confirmedHosts: ['sc-proxy.example'] })
    expect(trusting.rows[4]?.status).toBe('ready')

    // Imported: the fresh key goes in once, through keys.add (checked at the fake first), with its customer label.
    const imported = await runImport(h.core, { text, fileName: 'keys.csv' })
    expect(imported.rows.map((one) => one.status)).toEqual(['duplicate', 'spent', 'imported', 'duplicate', 'problem', 'problem'])
    const key = h.vault.keys().find((one) => one.name === 'Fresh')
    expect(key).toMatchObject({ system: 'safetyculture', customer: 'Grill Haven', lastCheck: { outcome: 'ok' } })
    const seen = JSON.stringify([report, trusting, imported])
    for (const token of [heldToken, replacedToken, fresh, proxied]) expect(seen).not.toContain(token)
  })
})
