// The team calls through a whole app (handlers checked against the contract, events too), two machines on one real
// PostgreSQL: one makes the team, the other asks to join and shows its code, the first approves by that code, and the
// second learns of it by itself. Bad input changes nothing; no answer, event or log names the database password.
import fs from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { teamFilePath } from '../../../src/main/core/team/team-settings.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { addLibrary, ok, teamAppsPerTest, type TeamApps } from './team-apps.ts'

const binaries = findPgBinaries()
let running: () => PgServer
let apps: TeamApps
const machine = (): Promise<LarderHarness> => apps.machine()

describe.skipIf(binaries.bin === null)('team calls through the app', { timeout: 120_000 }, () => {
  running = pgServerForSuite(binaries)
  apps = teamAppsPerTest(running, 'calls')

  it('makes a team, lets a second machine in by its code, and tells the second when it is in', async () => {
    const ana = await machine()
    const bo = await machine()
    expect(ok(await ana.handlers['team.state']({}))).toMatchObject({ membership: 'none', members: [] })

    const made = ok(await ana.handlers['team.create']({ databaseUrl: apps.url(), name: 'Ana, office' }))
    expect(made).toMatchObject({ membership: 'member', name: 'Ana, office', members: [{ name: 'Ana, office', you: true }] })

    const asked = ok(await bo.handlers['team.requestJoin']({ databaseUrl: apps.url(), name: 'Bo at home' }))
    expect(asked).toMatchObject({ membership: 'joining', name: 'Bo at home', members: [] })
    expect(asked.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)

    const approved = ok(await ana.handlers['team.approve']({ code: asked.code ?? '' }))
    expect(approved.name).toBe('Bo at home')
    expect(ana.events.of('team.changed').at(-1)?.members.map((m) => m.name)).toEqual(['Ana, office', 'Bo at home'])

    // Bo's Larder looks for the approval by itself.
    await vi.waitFor(async () => {
      await bo.advance(3_000)
      expect(bo.events.of('team.changed').at(-1)?.membership).toBe('member')
    }, { timeout: 20_000, interval: 200 })
    // Bo's vault opens again as a team vault (calls meanwhile are told it is opening).
    await vi.waitFor(async () => {
      await bo.advance(10)
      expect(ok(await bo.handlers['team.state']({}))).toMatchObject({ membership: 'member', code: null, members: [{ name: 'Ana, office', you: false }, { name: 'Bo at home', you: true }] })
    }, { timeout: 20_000, interval: 100 })

    // The password is in no answer or event.
    const password = new URL(apps.url()).password
    expect(password.length).toBeGreaterThan(0)
    for (const h of [ana, bo]) expect(JSON.stringify(h.events.all)).not.toContain(password)
    expect(JSON.stringify(made) + JSON.stringify(asked)).not.toContain(password)
  })

  it('once in, both run as team vaults: a library held before making the team and one added after reach the other machine', async () => {
    const ana = await machine()
    const bo = await machine()
    const { view: held } = await addLibrary(ana, 'Held Before')

    ok(await ana.handlers['team.create']({ databaseUrl: apps.url(), name: 'Ana' }))
    const asked = ok(await bo.handlers['team.requestJoin']({ databaseUrl: apps.url(), name: 'Bo' }))
    // Ana's vault reopens as a team vault (and shares what it held); then she lets Bo in.
    await vi.waitFor(async () => {
      await ana.advance(10)
      expect(ok(await ana.handlers['team.state']({})).link.state).toBe('online')
    }, { timeout: 20_000, interval: 100 })
    ok(await ana.handlers['team.approve']({ code: asked.code ?? '' }))
    await vi.waitFor(async () => {
      await bo.advance(3_000)
      expect(ok(await bo.handlers['team.state']({})).link.state).toBe('online')
    }, { timeout: 20_000, interval: 200 })

    await vi.waitFor(async () => expect(ok(await bo.handlers['libraries.list']({})).map((row) => row.id)).toContain(held.id), { timeout: 5_000, interval: 100 })
    const { view: after } = await addLibrary(ana, 'Added After')
    await vi.waitFor(async () => expect(ok(await bo.handlers['libraries.list']({})).map((row) => row.name)).toContain('Added After'), { timeout: 5_000, interval: 100 })
    // The window is told by event, in the projection's next frame.
    await vi.waitFor(async () => {
      await bo.advance(50)
      expect(bo.events.of('library.changed').some((row) => row.id === after.id)).toBe(true)
    }, { timeout: 5_000, interval: 50 })
  })

  it('removing a member through the app seals everything anew and refreshes every credential, so its copies die at Apicbase', async () => {
    const ana = await machine()
    const dana = await machine()
    const { held } = await addLibrary(ana, 'Shared Kitchen')
    ok(await ana.handlers['team.create']({ databaseUrl: apps.url(), name: 'Ana' }))
    const asked = ok(await dana.handlers['team.requestJoin']({ databaseUrl: apps.url(), name: 'Dana' }))
    await vi.waitFor(async () => {
      await ana.advance(10)
      expect(ok(await ana.handlers['team.state']({})).link.state).toBe('online')
    }, { timeout: 20_000, interval: 100 })
    const { memberId } = ok(await ana.handlers['team.approve']({ code: asked.code ?? '' }))
    await vi.waitFor(async () => {
      await dana.advance(3_000)
      expect(ok(await dana.handlers['libraries.list']({})).map((row) => row.name)).toContain('Shared Kitchen')
    }, { timeout: 20_000, interval: 200 })
    const id = ok(await dana.handlers['libraries.list']({})).find((row) => row.name === 'Shared Kitchen')?.id ?? ''
    // What Dana's machine holds now: the copy that must stop working.
    const danasCore = dana.app.core()
    if (danasCore === null) throw new Error('Dana has no open vault')
    const danasToken = await danasCore.vault.secrets(id, ['accessToken', 'refreshToken'])

    ok(await ana.handlers['team.remove']({ memberId }))
    await vi.waitFor(async () => {
      await ana.advance(500)
      expect(ana.events.of('team.changed').at(-1)?.removal?.refreshed).toMatchObject({ done: 1, total: 1, finished: true })
    }, { timeout: 30_000, interval: 200 })
    expect(ok(await ana.handlers['team.state']({})).members.map((m) => m.name)).toEqual(['Ana'])
    // Dana's saved access token is refused at the API, and its refresh token no longer refreshes.
    const probe = await fetch(`${ana.sandbox.url}/api/v2/library/recipes/`, { headers: { authorization: `Bearer ${danasToken.accessToken}` } })
    expect(probe.status).toBe(401)
    const refresh = await fetch(`${ana.sandbox.url}/oauth/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: danasToken.refreshToken, client_id: held.clientId, client_secret: held.clientSecret }).toString() })
    expect(refresh.status).toBe(400)
    expect(((await refresh.json()) as { error?: string }).error).toBe('invalid_grant')
  })

  it('refuses a URL that breaks the rules, naming the field, with nothing written', async () => {
    const ana = await machine()
    const answer = await ana.handlers['team.create']({ databaseUrl: 'postgres://larder:hunter2-secret@db.example.com/team?sslmode=disable', name: 'Ana' })
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error).toMatchObject({ kind: 'invalid_input', field: 'teamDatabaseUrl' })
    expect(JSON.stringify(answer.error)).not.toContain('hunter2-secret')
    expect(fs.existsSync(teamFilePath(ana.vaultPath))).toBe(false)
  })

  it('says a team database out of reach or refusing the password as such (not as an unexpected problem), without the password', async () => {
    const ana = await machine()
    const wrong = new URL(apps.url())
    wrong.password = 'not-the-password-8f3k'
    for (const databaseUrl of ['postgres://larder:closed-port-pw-2m9x@127.0.0.1:1/team', wrong.toString()]) {
      const answer = await ana.handlers['team.create']({ databaseUrl, name: 'Ana' })
      expect(answer).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'team_database', message: expect.stringMatching(/^The team database could not be reached, or refused this machine: .*Check the URL/) } })
      expect(JSON.stringify(answer)).not.toMatch(/closed-port-pw-2m9x|not-the-password-8f3k/)
    }
    expect(fs.existsSync(teamFilePath(ana.vaultPath))).toBe(false)
  })

  it('withdraws a request: the code stops working and the machine is back to a local vault', async () => {
    const ana = await machine()
    const bo = await machine()
    ok(await ana.handlers['team.create']({ databaseUrl: apps.url(), name: 'Ana' }))
    const asked = ok(await bo.handlers['team.requestJoin']({ databaseUrl: apps.url(), name: 'Bo' }))
    expect(ok(await bo.handlers['team.cancelJoin']({}))).toMatchObject({ membership: 'none' })
    expect(fs.existsSync(teamFilePath(bo.vaultPath))).toBe(false)
    const late = await ana.handlers['team.approve']({ code: asked.code ?? '' })
    expect(late).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'code' } })
  })
})
