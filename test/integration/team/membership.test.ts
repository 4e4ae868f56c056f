// Making a team and joining it against a real PostgreSQL (issue 16, step 4, headless): three members, each let in by
// one already in who typed the code from the joiner's screen; every member reads the same credentials; the database
// (every table, and the server's own files) holds no name, label, URL, client ID, secret or token in clear. What the
// database could do against it is refused: a request whose keys it swapped, a member row it slipped in, an approval it
// changed, five wrong codes.
import fs from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { TeamCryptoError } from '../../../src/main/core/team/crypto/encoding.ts'
import { newJoinCode } from '../../../src/main/core/team/crypto/join-code.ts'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import { approveJoin, completeJoin, createTeam, requestJoin, TeamExistsError, type NewMember } from '../../../src/main/core/team/membership.ts'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import { insertCredential, readCredentials } from '../../../src/main/core/team/rows.ts'
import { findPgBinaries, pgServerForSuite, type PgServer } from '../../support/postgres-server.ts'
import { teamDbPerTest } from '../../support/team-db.ts'

const binaries = findPgBinaries()
/** The suite's server (pgServerForSuite, inside the describe block). */
let running: () => PgServer
let db: TeamDb

const member = (label: string): NewMember => ({ id: crypto.randomUUID(), label, keys: newMemberKeys() })

/** What must never be in the database in clear. */
const SECRETS = {
  name: 'Grill Haven Centrum',
  customer: 'Grill Haven Group',
  url: 'https://api.apicbase.example/v1',
  clientId: 'client-8f3e2d1c9b7a',
  clientSecret: 'cs-secret-5e6f7a8b9c0d1e2f',
  accessToken: 'at-live-1a2b3c4d5e6f7a8b',
  refreshToken: 'rt-live-9f8e7d6c5b4a3f2e',
  labelA: 'Ana on the office laptop',
  labelB: 'Bo working from home',
  labelC: 'Cy at the warehouse'
}

function library(n: number): { meta: object; secrets: object } {
  return {
    meta: { name: `${SECRETS.name} ${n}`, customer: SECRETS.customer, apiBaseUrl: SECRETS.url, clientId: `${SECRETS.clientId}-${n}`, tokenType: 'service_account' },
    secrets: { clientSecret: `${SECRETS.clientSecret}-${n}`, accessToken: `${SECRETS.accessToken}-${n}`, refreshToken: `${SECRETS.refreshToken}-${n}` }
  }
}

/** Everything the database holds: every table's rows as text, and the server's files after a checkpoint. */
async function everythingStored(): Promise<{ tables: string; files: Buffer[] }> {
  const tables = await db.pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'larder'")
  let text = ''
  for (const { table_name: table } of tables.rows) {
    const { rows } = await db.pool.query(`SELECT * FROM larder.${table}`)
    text += JSON.stringify(rows, (_key, value: unknown) => (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value))
  }
  await db.pool.query('CHECKPOINT')
  const files: Buffer[] = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(at)
      else if (entry.isFile()) files.push(fs.readFileSync(at))
    }
  }
  walk(running().dataDir)
  return { tables: text, files }
}

describe.skipIf(binaries.bin === null)('making and joining a team', { timeout: 90_000 }, () => {
  running = pgServerForSuite(binaries)
  const teamDb = teamDbPerTest(running, 'team')
  beforeEach(() => {
    db = teamDb()
  })

  it('lets three members in, each approved by one already in; all read the same credentials; nothing readable is stored', async () => {
    const ana = member(SECRETS.labelA)
    const anaSession = await createTeam(db, ana)
    for (let n = 1; n <= 3; n++) await insertCredential(db, anaSession, crypto.randomUUID(), 'library', library(n))

    const bo = member(SECRETS.labelB)
    const boCode = newJoinCode()
    await requestJoin(db, bo, boCode)
    expect(await completeJoin(db, bo, boCode)).toBeNull()
    expect(await approveJoin(db, anaSession, boCode.toLowerCase())).toEqual({ memberId: bo.id, label: SECRETS.labelB })
    const boSession = await completeJoin(db, bo, boCode)
    expect(boSession?.teamId).toBe(anaSession.teamId)
    expect(boSession?.teamKey).toEqual(anaSession.teamKey)

    // Cy is let in by Bo, who joined after Ana.
    const cy = member(SECRETS.labelC)
    const cyCode = newJoinCode()
    await requestJoin(db, cy, cyCode)
    if (boSession === null) throw new Error('Bo is not in')
    await approveJoin(db, boSession, cyCode)
    const cySession = await completeJoin(db, cy, cyCode)
    if (cySession === null) throw new Error('Cy is not in')
    expect(cySession.roster.members.map((m) => [m.label, m.addedBy])).toEqual([
      [SECRETS.labelA, null],
      [SECRETS.labelB, ana.id],
      [SECRETS.labelC, bo.id]
    ])

    const seen = await Promise.all([anaSession, boSession, cySession].map((session) => readCredentials(db, session)))
    expect(seen[0]).toHaveLength(3)
    expect(seen[1]).toEqual(seen[0])
    expect(seen[2]).toEqual(seen[0])
    expect(seen[0]?.map((row) => (row.record as { meta: { name: string } }).meta.name).sort()).toEqual([1, 2, 3].map((n) => `${SECRETS.name} ${n}`))

    const stored = await everythingStored()
    for (const [what, value] of Object.entries(SECRETS)) {
      expect(stored.tables.includes(value), `${what} in a table`).toBe(false)
      expect(stored.files.some((file) => file.includes(Buffer.from(value))), `${what} in the server's files`).toBe(false)
    }
  })

  it('refuses a second team in the same database', async () => {
    await createTeam(db, member('first'))
    await expect(createTeam(db, member('second'))).rejects.toBeInstanceOf(TeamExistsError)
  })

  it('refuses a request whose keys the database swapped: no code matches it, nothing is wrapped for the swapped key', async () => {
    const anaSession = await createTeam(db, member(SECRETS.labelA))
    const bo = member(SECRETS.labelB)
    const code = newJoinCode()
    await requestJoin(db, bo, code)
    const intruder = newMemberKeys()
    await db.pool.query('UPDATE larder.join_requests SET x25519_pub = $1 WHERE id = $2', [intruder.wrapping.publicKey, bo.id])
    await expect(approveJoin(db, anaSession, code)).rejects.toMatchObject({ field: 'code' })
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.key_wraps')).rows[0]).toEqual({ n: 1 })
    expect((await db.pool.query('SELECT count(*)::int AS n FROM larder.members')).rows[0]).toEqual({ n: 1 })
  })

  it('never lets in a member row slipped into the database: it is not in the roster and gets no team key', async () => {
    const anaSession = await createTeam(db, member(SECRETS.labelA))
    const slipped = member('slipped in')
    await db.pool.query('INSERT INTO larder.members (id, x25519_pub, ed25519_pub) VALUES ($1, $2, $3)', [slipped.id, slipped.keys.wrapping.publicKey, slipped.keys.signing.publicKey])
    // Another member joining the right way is approved; the slipped-in row stays without a wrap and outside the roster.
    const bo = member(SECRETS.labelB)
    const code = newJoinCode()
    await requestJoin(db, bo, code)
    await approveJoin(db, anaSession, code)
    const boSession = await completeJoin(db, bo, code)
    expect(boSession?.roster.members.map((m) => m.id)).toEqual([anaSession.memberId, bo.id])
    expect((await db.pool.query('SELECT member_id FROM larder.key_wraps WHERE member_id = $1', [slipped.id])).rowCount).toBe(0)
    await expect(completeJoin(db, slipped, newJoinCode())).resolves.toBeNull()
  })

  it('refuses an approval the database changed: the joiner uses nothing from it', async () => {
    const anaSession = await createTeam(db, member(SECRETS.labelA))
    const bo = member(SECRETS.labelB)
    const code = newJoinCode()
    await requestJoin(db, bo, code)
    await approveJoin(db, anaSession, code)
    await db.pool.query("UPDATE larder.join_requests SET approval = set_byte(approval, 0, get_byte(approval, 0) # 1) WHERE id = $1", [bo.id])
    await expect(completeJoin(db, bo, code)).rejects.toBeInstanceOf(TeamCryptoError)
  })

  it('voids the pending requests after five wrong codes', async () => {
    const anaSession = await createTeam(db, member(SECRETS.labelA))
    const bo = member(SECRETS.labelB)
    const code = newJoinCode()
    await requestJoin(db, bo, code)
    const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`
    for (let i = 0; i < 5; i++) await expect(approveJoin(db, anaSession, wrong)).rejects.toMatchObject({ field: 'code' })
    await expect(approveJoin(db, anaSession, code)).rejects.toMatchObject({ field: 'code' })
    expect(await completeJoin(db, bo, code)).toBeNull()
  })
})
