// Every action a person takes, and what Larder sees on their behalf, leaves one entry in the audit trail with its
// outcome, whichever way it went, and never a secret: unlocking (right and wrong passphrase), restoring a backup,
// changing settings, a refused add, revoking (and failing to), connecting through OAuth (start, finish, failure),
// switching a personal token's library, drift seen, and the `larder` command (a token handed out, a session allowed, refused, revoked).
import fs from 'node:fs'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import type { AuditEntry } from '../../../src/main/core/audit/index.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../../sandbox/index.ts'
import { startLarder, tracked, type LarderHarness } from '../../support/larder-harness.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { connectWithEntries } from '../personal/personal-fixtures.ts'

let h: LarderHarness | undefined
let other: LarderHarness | undefined
afterEach(async () => {
  await other?.close()
  await h?.close()
  other = undefined
  h = undefined
})

function readTrail(file: string): AuditEntry[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry)
}

/** Larder started again on the harness's folder, as the next launch would. */
function relaunch(dir: string): LarderApp {
  return createLarderApp({
    info: { name: 'Larder', version: 'test', host: 'browser' },
    storage: { vaultPath: path.join(dir, 'vault.json'), auditPath: path.join(dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }) },
    keychain: null,
    clipboard: { copySecret: () => ({ clearsAt: null }) },
    scryptCost: FAST_SCRYPT
  })
}

async function newest(harness: LarderHarness, action: AuditEntry['action']): Promise<AuditEntry | undefined> {
  await harness.nextTurn()
  return (await harness.core.audit.page({ limit: 1, action })).entries[0]
}

async function addedLibrary(harness: LarderHarness, name: string): Promise<{ id: string; secrets: string[] }> {
  const credentials = harness.sandbox.addLibraryWithApplication({ name })
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
  const library = await harness.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: harness.sandbox.url })
  const held = await harness.core.vault.secrets(library.id)
  return { id: library.id, secrets: [clientSecret, accessToken, refreshToken, held.accessToken, held.refreshToken] }
}

describe('the audit trail records', () => {
  it('unlocking with the right passphrase and with a wrong one', async () => {
    h = await startLarder() // creates the vault with TEST_PASSPHRASE
    const created = await newest(h, 'unlocked')
    expect(created).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'new vault created with a passphrase' })
    await h.app.close()

    // The same folder opened again: a wrong passphrase is refused and recorded, then the right one opens it.
    const dir = h.dir
    const reopened = relaunch(dir)
    try {
      expect(await reopened.start()).toEqual({ state: 'locked', mode: 'unlock' })
      await expect(reopened.session.unlock('not the passphrase at all')).rejects.toThrow(/does not unlock/)
      expect(await reopened.session.unlock(TEST_PASSPHRASE)).toMatchObject({ state: 'open' })
    } finally {
      await reopened.close()
    }
    const unlocks = readTrail(path.join(dir, 'audit.jsonl')).filter((entry) => entry.action === 'unlocked')
    expect(unlocks.map((entry) => [entry.outcome, entry.detail])).toEqual([
      ['ok', 'new vault created with a passphrase'],
      ['error', 'That passphrase does not unlock this vault.'],
      ['ok', 'with the passphrase']
    ])
    expect(JSON.stringify(unlocks)).not.toContain('not the passphrase at all')
    expect(JSON.stringify(unlocks)).not.toContain(TEST_PASSPHRASE)
  })

  it('restoring the last good backup of a damaged vault', async () => {
    h = await startLarder()
    await h.app.close()
    const dir = h.dir
    const first = relaunch(dir)
    await first.start()
    await first.session.unlock(TEST_PASSPHRASE) // a successful open leaves the last good backup
    await first.close()
    fs.writeFileSync(path.join(dir, 'vault.json'), '{"schemaVersion": 1, "libraries": {') // truncated
    const damaged = relaunch(dir)
    try {
      expect(await damaged.start()).toMatchObject({ state: 'damaged' })
      expect(await damaged.session.restoreBackup(TEST_PASSPHRASE)).toMatchObject({ state: 'open' })
    } finally {
      await damaged.close()
    }
    const restored = readTrail(path.join(dir, 'audit.jsonl')).filter((entry) => entry.action === 'restored')
    expect(restored).toHaveLength(1)
    expect(restored[0]).toMatchObject({ outcome: 'ok', libraryId: null, detail: expect.stringMatching(/^vault restored from the backup saved \d{4}-/) })
  })

  it('a failed revoke, with what went wrong and no secret', async () => {
    h = await startLarder()
    const { id, secrets } = await addedLibrary(h, 'Bistro Revoke')
    h.sandbox.faults.inject({ route: 'revoke', kind: 'status', status: 503, times: 5 })
    await expect(h.actions.revoke(id)).rejects.toThrow()
    const entry = await newest(h, 'revoked')
    expect(entry).toMatchObject({ outcome: 'error', libraryId: id, libraryName: 'Bistro Revoke' })
    expect(entry?.detail).toMatch(/^server_error: /)
    expect(h.core.libraries.get(id).tokenState).toBe('active') // nothing changed
    for (const secret of secrets) expect(fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')).not.toContain(secret)
  })

  it('a switch asked for a library already active, and one that failed', async () => {
    h = await startLarder()
    const { nord, zuid } = await connectWithEntries(h)
    await h.actions.switchLibrary(nord.id)
    await h.actions.switchLibrary(nord.id)
    expect(await newest(h, 'switched')).toMatchObject({ outcome: 'ok', libraryId: nord.id, detail: expect.stringMatching(/was already active; nothing to switch/) })
    h.sandbox.faults.inject({ route: 'active', kind: 'status', status: 503, times: 10 })
    await expect(h.actions.switchLibrary(zuid.id)).rejects.toThrow()
    expect(await newest(h, 'switched')).toMatchObject({ outcome: 'error', libraryId: zuid.id, detail: expect.stringMatching(/^server_error: /) })
  })

  it('drift seen: once per change made outside Larder, naming both libraries', async () => {
    h = await startLarder({ core: { personal: { checkEveryMs: 60_000 } } })
    const { connection, nord } = await connectWithEntries(h)
    await h.actions.copy(nord.id, 'token') // Larder leaves the token on Brasserie Nord
    h.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.trattoriaOost)
    await h.advance(61_000)
    await h.core.personal.settled()
    await h.advance(61_000) // seen again: not recorded again
    await h.core.personal.settled()
    await h.nextTurn()
    const drifts = (await h.core.audit.page({ limit: 10, action: 'drift_seen' })).entries
    expect(drifts).toHaveLength(1)
    expect(drifts[0]).toMatchObject({ libraryId: connection.id, outcome: 'error', detail: 'Trattoria Oost was made active outside Larder (Larder had left it on Brasserie Nord)' })
  })

  it('a settings change, with what changed, and a refused one', async () => {
    h = await startLarder()
    await h.actions.updateSettings({ clipboardClearMs: 60_000, notifications: { expiring: false } })
    expect(await newest(h, 'settings_changed')).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'clipboardClearMs: 30000 → 60000; notifications.expiring: true → false' })
    await expect(h.actions.updateSettings({ clipboardClearMs: 1 })).rejects.toThrow()
    expect(await newest(h, 'settings_changed')).toMatchObject({ outcome: 'error', detail: 'refused: settings.clipboardClearMs was not accepted' })
  })

  it('a refused add, under the name typed, without the pasted secrets', async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Refused' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
    await expect(h.actions.add({ tokenType, name: 'Bistro Refused', clientId, clientSecret: 'x'.repeat(40), accessToken, refreshToken, apiBaseUrl: h.sandbox.url })).rejects.toThrow()
    const entry = await newest(h, 'added')
    expect(entry).toMatchObject({ outcome: 'error', libraryId: null, libraryName: 'Bistro Refused', detail: expect.stringMatching(/^invalid_client: /) })
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    for (const secret of [clientSecret, accessToken, refreshToken, 'x'.repeat(40)]) expect(trail).not.toContain(secret)
  })

  it('an authorization started, one that failed on a refused paste and a bad code, and one that finished', async () => {
    h = await startLarder()
    const { clientId, clientSecret } = h.sandbox.fixtures.partner
    const start = () => h!.actions.startConnecting({ clientId, clientSecret, scopes: ['accounts', 'library'], apiBaseUrl: h!.sandbox.url, redirect: 'paste', name: 'Pat via OAuth' })
    const first = await start()
    expect(await newest(h, 'authorization_started')).toMatchObject({ outcome: 'ok', libraryName: 'Pat via OAuth', detail: `at ${new URL(h.sandbox.url).host}, code to paste` })
    await expect(h.actions.completeWithCode(first.flowId, `${h.sandbox.url}/callback?code=abc`)).rejects.toThrow(/state/)
    expect(await newest(h, 'authorized')).toMatchObject({ outcome: 'error', detail: expect.stringMatching(/^paste refused: /) })
    await expect(h.actions.completeWithCode(first.flowId, 'not-a-code-apicbase-issued')).rejects.toThrow()
    expect(await newest(h, 'authorized')).toMatchObject({ outcome: 'error', libraryName: 'Pat via OAuth', detail: expect.stringMatching(/^invalid_grant: /) })

    const second = await start()
    const page = await (await fetch(second.authorizeUrl)).text()
    const code = /<code id="authorization-code">([^<]+)<\/code>/.exec(page)?.[1]
    expect(code).toBeDefined()
    const connected = await h.actions.completeWithCode(second.flowId, code!)
    expect(await newest(h, 'authorized')).toMatchObject({ outcome: 'ok', libraryId: connected.connection.id, detail: 'personal token connected with a pasted code' })
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    expect(trail).not.toContain(code)
    expect(trail).not.toContain(clientSecret)
  })

  it('a token handed to a terminal (and one refused), and a terminal session allowed, refused and revoked, with no secret', async () => {
    h = await startLarder()
    const { id, secrets } = await addedLibrary(h, 'Bistro Terminal')
    const facts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=1', tty: 'pts/3', cwd: '/home/pat', command: 'token' }
    const requests: string[] = []
    h.app.events.on('terminal.requested', (request) => requests.push(request.requestId))
    const token = (session: string) => h!.app.terminal.handlers.token({ library: 'Bistro Terminal', format: 'header' }, { ...facts, session }, () => undefined)

    const refused = token('refused')
    await h.nextTurn()
    h.app.terminal.access.deny(requests[0] ?? '')
    expect(await refused).toMatchObject({ ok: false, error: { kind: 'not_approved' } })
    expect(await newest(h, 'session_refused')).toMatchObject({ outcome: 'error', libraryId: null, detail: 'session pts/3, shell pid 4100; refused in Larder' })

    const allowed = token('allowed')
    await h.nextTurn()
    h.app.terminal.access.approve(requests[1] ?? '')
    expect(await allowed).toMatchObject({ ok: true })
    expect(await newest(h, 'session_allowed')).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'session pts/3, shell pid 4100; idle after 10 min' })
    expect(await newest(h, 'handed_out')).toMatchObject({ outcome: 'ok', libraryId: id, libraryName: 'Bistro Terminal', detail: 'larder token --format header; session pts/3, shell pid 4100 (pid 4242)' })

    // A week on (the session has long gone idle: allowed again at once), the token is due: the hand-out refreshes
    // first, and that fails.
    h.app.events.on('terminal.requested', (request) => h!.app.terminal.access.approve(request.requestId))
    await h.actions.updateSettings({ refreshAheadMs: 10 * 60_000, copyFreshnessMarginMs: 24 * 3_600_000 })
    await h.advance(7 * 24 * 3_600_000 - 12 * 3_600_000)
    h.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 100 })
    const failing = tracked(token('allowed'))
    await h.pump(failing.done)
    expect(await failing.promise).toMatchObject({ ok: false, error: { kind: 'api' } })
    expect(await newest(h, 'handed_out')).toMatchObject({ outcome: 'error', libraryId: id, detail: expect.stringMatching(/^larder token --format header; session .*: /) })

    const sessionId = h.app.terminal.access.list().sessions[0]?.sessionId ?? ''
    expect(h.app.terminal.access.revoke(sessionId)).toBe(true)
    expect(await newest(h, 'session_revoked')).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'session pts/3, shell pid 4100' })
    const trail = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    for (const secret of [...secrets, ...Object.values(await h.core.vault.secrets(id))]) expect(trail).not.toContain(secret)
  })
})
