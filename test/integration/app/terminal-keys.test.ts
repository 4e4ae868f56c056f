// Keys of other systems through the real app's terminal handlers (`larder ls/status/token/exec/refresh`), checked
// against the loopback fakes: listed beside the libraries with their system and status, handed out as their system
// carries them and in the variables its scripts expect, never once unusable (exit 5's kind), audited without the token.
import { describe, expect, it } from 'vitest'
import type { ClientFacts, TerminalResult } from '../../../src/shared/terminal-words.ts'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { keysWorlds } from '../../support/keys-world.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'

const DAY = 86_400_000
const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'token' }

const startWorld = keysWorlds()

/** The app with the fakes, every terminal session allowed at once (as a person clicking Allow would). */
async function started(): Promise<{ h: LarderHarness; fakes: ProviderSandbox }> {
  const { h, fakes } = await startWorld()
  h.app.events.on('terminal.requested', (request) => h.app.terminal.access.approve(request.requestId))
  return { h, fakes }
}

function value<T>(result: TerminalResult): T {
  if (!result.ok) throw new Error(`refused: ${result.error.kind}: ${result.error.message}`)
  return result.value as T
}

const call = (harness: LarderHarness, name: 'ls' | 'status' | 'token' | 'refresh', input: object): Promise<TerminalResult> =>
  harness.app.terminal.handlers[name](input, FACTS, () => undefined)
const env = (harness: LarderHarness, libraries: unknown[]): Promise<TerminalResult> =>
  harness.app.terminal.handlers.env({ libraries, command: 'node' }, { ...FACTS, command: 'exec' }, () => undefined)

async function withKeys(): Promise<{ h: LarderHarness; fakes: ProviderSandbox; sc: { id: string; token: string }; svc: { id: string; token: string }; at: { id: string; token: string } }> {
  const { h, fakes } = await started()
  const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
  const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  const scToken = fakes.safetyCulture.issueUserToken(user.id).value
  const sc = await h.core.keys.add({
    system: 'safetyculture',
    name: 'Grill Haven inspections',
    customer: 'Grill Haven',
    token: scToken,
    details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: fakes.safetyCulture.url }
  })
  const robot = fakes.checkUrl.createServiceUser({ name: 'svc-sync' })
  const svcToken = fakes.checkUrl.createToken({ serviceUserId: robot.id, name: 'prod', carrier: { kind: 'header', name: 'X-Service-Token' } })
  const svc = await h.core.keys.add({
    system: 'service_token',
    name: 'Platform sync',
    token: svcToken.value,
    details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: null, carry: { kind: 'header', name: 'X-Service-Token' }, checkUrl: svcToken.checkUrl, envName: 'PLATFORM_TOKEN' }
  })
  const atUser = fakes.airtable.addUser({})
  const atToken = fakes.airtable.createToken({ userId: atUser.id, name: 'larder', scopes: ['data.records:read'] }).value
  const at = await h.core.keys.add({ system: 'airtable', name: 'Tracking base', token: atToken, details: { apiBaseUrl: fakes.airtable.url } })
  return { h, fakes, sc: { id: sc.id, token: scToken }, svc: { id: svc.id, token: svcToken.value }, at: { id: at.id, token: atToken } }
}

describe('keys of other systems at the terminal', () => {
  it('ls lists them beside the libraries, with their system, status and time left; status says who a key acts as', async () => {
    const { h, sc } = await withKeys()
    const library = h.sandbox.addLibraryWithApplication({ name: 'Brasserie Nord' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = library
    await h.actions.add({ tokenType, name: 'Brasserie Nord', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    const rows = value<{ libraries: { name: string; provider: string; status: string; tokenType: string | null; timeLeftMs: number | null }[] }>(await call(h, 'ls', {})).libraries
    expect(rows.map((row) => [row.name, row.provider, row.status, row.tokenType])).toEqual([
      ['Brasserie Nord', 'apicbase', 'healthy', 'service_account'],
      ['Grill Haven inspections', 'safetyculture', 'healthy', null],
      ['Platform sync', 'service_token', 'healthy', null],
      ['Tracking base', 'airtable', 'healthy', null]
    ])
    expect(rows[1]?.timeLeftMs).toBe(30 * DAY)
    const status = value<{ key: { actsAs: string; customer: string; lastCheck: { outcome: string } } }>(await call(h, 'status', { library: 'grill' }))
    expect(status.key).toMatchObject({ actsAs: expect.stringMatching(/^Pat Jansen, organisation /), customer: 'Grill Haven', lastCheck: { outcome: 'ok' } })
    expect(value<{ key: { actsAs: string } }>(await call(h, 'status', { library: sc.id })).key.actsAs).toMatch(/Pat Jansen/)
  })

  it('token: as its system carries it, in each format; each hand-out audited with the session, never the token', async () => {
    const { h, fakes, sc, svc } = await withKeys()
    const text = async (library: string, format: string): Promise<string> => value<{ text: string }>(await call(h, 'token', { library, format })).text
    expect(await text('Grill Haven inspections', 'raw')).toBe(sc.token)
    expect(await text('grill', 'header')).toBe(`Authorization: Bearer ${sc.token}`)
    expect(await text('grill', 'env')).toBe(`export SAFETYCULTURE_API_TOKEN=${sc.token}\nexport SAFETYCULTURE_API_URL=${fakes.safetyCulture.url}`)
    expect(await text('grill', 'curl')).toBe(`curl -sS -H 'Authorization: Bearer ${sc.token}' ${fakes.safetyCulture.url}/accounts/user/v1/user:WhoAmI`)
    expect(await text('Platform sync', 'header')).toBe(`X-Service-Token: ${svc.token}`)
    expect(JSON.parse(await text('Platform sync', 'json'))).toEqual({ token: svc.token, system: 'service_token', header: 'X-Service-Token', expires_at: null })
    const audit = (await h.core.audit.page({ limit: 50, action: 'handed_out' })).entries.filter((entry) => entry.libraryId === svc.id)
    expect(audit).toHaveLength(2)
    expect(audit[0]?.detail).toBe('larder token --format json; session pts/3, shell pid 4100 (pid 4242)')
    const trail = JSON.stringify((await h.core.audit.page({ limit: 200 })).entries)
    for (const secret of [sc.token, svc.token]) expect(trail).not.toContain(secret)
  })

  it('exec: each system\'s variables; with several (or beside an Apicbase library) each prefixed; a clash is refused', async () => {
    const { h, at, svc } = await withKeys()
    expect(value<{ env: Record<string, string> }>(await env(h, [{ library: 'Tracking base' }])).env).toEqual({ AIRTABLE_API_KEY: at.token, AIRTABLE_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) })
    const library = h.sandbox.addLibraryWithApplication({ name: 'Brasserie Nord' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = library
    await h.actions.add({ tokenType, name: 'Brasserie Nord', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    const both = value<{ env: Record<string, string> }>(await env(h, [{ library: 'Brasserie Nord' }, { library: 'Tracking base', prefix: 'TRACK' }, { library: 'Platform sync' }])).env
    expect(Object.keys(both).sort()).toEqual(['APICBASE_BRASSERIE_NORD_ACCESS_TOKEN', 'APICBASE_BRASSERIE_NORD_API_URL', 'APICBASE_BRASSERIE_NORD_LIBRARY_ID', 'PLATFORM_SYNC_PLATFORM_TOKEN', 'TRACK_AIRTABLE_API_KEY', 'TRACK_AIRTABLE_API_URL'])
    expect(both['PLATFORM_SYNC_PLATFORM_TOKEN']).toBe(svc.token)
    const clash = await env(h, [{ library: 'Tracking base', prefix: 'X' }, { library: 'Platform sync', prefix: 'X' }, { library: 'Tracking base', prefix: 'X' }])
    expect(clash).toMatchObject({ ok: false, error: { kind: 'invalid_input', message: expect.stringMatching(/would set X_AIRTABLE_API_KEY a second time/) } })
  })

  it('a key revoked by its admin, or unused for 30 days, is not handed out (the kind that exits 5); refresh says keys are not refreshed', async () => {
    const { h, fakes, svc } = await withKeys()
    await h.core.keys.recordLifecycle(svc.id, 'revoked')
    expect(await call(h, 'token', { library: 'Platform sync', format: 'raw' })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: expect.stringMatching(/revoked/) } })
    fakes.clock.advance(30 * DAY)
    await h.advance(30 * DAY)
    expect(await call(h, 'token', { library: 'grill', format: 'raw' })).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_grant', message: expect.stringMatching(/inactive/) } })
    const rows = value<{ libraries: { name: string; status: string }[] }>(await call(h, 'ls', {})).libraries
    expect(rows.find((row) => row.name === 'Grill Haven inspections')?.status).toBe('inactive')
    expect(await call(h, 'refresh', { library: 'Tracking base' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', message: expect.stringMatching(/does not refresh it/) } })
  })
})
