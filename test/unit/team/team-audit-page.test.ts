// Reading the audit view's page in a team (core/team/team-audit-log.ts) when the team's trail cannot be read: offline
// (no link) it is this machine's own trail, marked offline, with a member filter answered from it only for this
// member; a server that went silent (not yet seen as offline) gives the same after a bounded wait, never a page that
// hangs. A real local audit file; the team database is a stand-in whose queries never answer.
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openAuditLog } from '../../../src/main/core/audit/audit-log.ts'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import type { TeamSession } from '../../../src/main/core/team/membership.ts'
import { TeamAuditLog } from '../../../src/main/core/team/team-audit-log.ts'
import { tempDir } from '../vault/fixtures.ts'

const ME = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'
const session: TeamSession = { teamId: '99999999-9999-4999-8999-999999999999', memberId: ME, teamKey: Buffer.alloc(32, 7), epoch: 1, roster: { version: 1, epoch: 1, members: [] } }
const silentDb: TeamDb = { schema: 'larder', pool: { query: () => new Promise(() => undefined) } as unknown as TeamDb['pool'] }
const cursor = () => ({ seq: 0, read: () => 0, write: () => undefined })

afterEach(() => {
  vi.useRealTimers()
})

describe('the team audit page when the team trail cannot be read', () => {
  it('offline: this machine’s own entries, said offline; another member’s filter finds nothing here', async () => {
    const local = await openAuditLog({ path: path.join(tempDir(), 'audit.log') })
    const trail = new TeamAuditLog(local, { memberId: ME, current: () => null }, cursor())
    await trail.append({ action: 'copied', libraryId: 'lib-1', libraryName: 'Bistro Noord', outcome: 'ok', detail: 'format: env' })
    const page = await trail.page({ limit: 10 })
    expect(page.teamTrail).toBe('offline')
    expect(page.entries.map((e) => e.detail)).toEqual(['format: env'])
    expect((await trail.page({ limit: 10, memberId: ME })).entries).toHaveLength(1)
    expect(await trail.page({ limit: 10, memberId: OTHER })).toEqual({ entries: [], nextBefore: null, teamTrail: 'offline' })
    await trail.close()
  })

  it('a server gone silent: the page falls back to this machine’s own after a bounded wait', async () => {
    const local = await openAuditLog({ path: path.join(tempDir(), 'audit.log') })
    const trail = new TeamAuditLog(local, { memberId: ME, current: () => ({ db: silentDb, session, keys: newMemberKeys() }) }, cursor())
    await local.append({ action: 'copied', libraryId: 'lib-1', libraryName: 'Bistro Noord', outcome: 'ok', detail: 'format: token' })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const asked = trail.page({ limit: 10 })
    await vi.advanceTimersByTimeAsync(8_000)
    const page = await asked
    expect(page.teamTrail).toBe('offline')
    expect(page.entries.map((e) => e.detail)).toEqual(['format: token'])
    vi.useRealTimers()
    await local.close()
  })
})
