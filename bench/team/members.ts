// The team the scale bench runs: a database on the bench's PostgreSQL, a team made by the first member and joined by
// the others (each approved by code), and per member a real local vault in a temp folder wrapped in a TeamVault over
// its own link, as the app opens one (test/integration/team/team-vault-support.ts does the same for the tests). The
// bench keeps each link to count the notifications it delivers.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import pg from 'pg'
import { openAuditLog } from '../../src/main/core/audit/audit-log.ts'
import { newJoinCode } from '../../src/main/core/team/crypto/join-code.ts'
import { newMemberKeys } from '../../src/main/core/team/crypto/member-keys.ts'
import { teamConnectionOptions } from '../../src/main/core/team/db/connection-config.ts'
import { migrate } from '../../src/main/core/team/db/migrate.ts'
import { schemaName } from '../../src/main/core/team/db/migrations.ts'
import { TeamLink } from '../../src/main/core/team/db/team-link.ts'
import type { TeamDb } from '../../src/main/core/team/db/transaction.ts'
import { approveJoin, completeJoin, createTeam, requestJoin, type NewMember, type TeamSession } from '../../src/main/core/team/membership.ts'
import { teamChannel } from '../../src/main/core/team/row-writes.ts'
import { TeamAuditLog } from '../../src/main/core/team/team-audit-log.ts'
import { openTeamVault, type TeamVault } from '../../src/main/core/team/team-vault.ts'
import { createPassphraseCipher, openVault } from '../../src/main/core/vault/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../test/support/core-harness.ts'
import { databaseUrl, type PgServer } from '../../test/support/postgres-server.ts'

export const SCHEMA = schemaName('larder')

export interface BenchMember {
  readonly index: number
  readonly id: string
  readonly link: TeamLink
  readonly vault: TeamVault
  /** The member's trail, pushed to the team's as the app does (team-mode.ts). */
  readonly audit: TeamAuditLog
}

export interface BenchTeam {
  readonly database: string
  /** The bench's own pool (one connection), for statistics. */
  readonly db: TeamDb
  readonly members: readonly BenchMember[]
  close(): Promise<void>
}

export async function makeBenchTeam(server: PgServer, size: number): Promise<BenchTeam> {
  const database = `teambench_${process.pid}`
  await server.query(`CREATE DATABASE ${database}`)
  const url = databaseUrl(server, database)
  const pool = new pg.Pool({ ...teamConnectionOptions({ url }, 'larder-bench'), max: 1 })
  pool.on('error', () => undefined)
  const db: TeamDb = { pool, schema: SCHEMA }
  await migrate(pool, { larderVersion: 'bench' })

  const sessions: TeamSession[] = []
  const joiners: NewMember[] = []
  for (let index = 0; index < size; index++) {
    const joiner: NewMember = { id: randomUUID(), label: `Member ${index}'s laptop`, keys: newMemberKeys() }
    joiners.push(joiner)
    if (index === 0) {
      sessions.push(await createTeam(db, joiner))
      continue
    }
    const code = newJoinCode()
    await requestJoin(db, joiner, code)
    await approveJoin(db, sessions[0] as TeamSession, code)
    const session = await completeJoin(db, joiner, code)
    if (session === null) throw new Error(`member ${index} was not let in`)
    sessions.push(session)
  }

  const dirs: string[] = []
  const members: BenchMember[] = []
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  for (const [index, session] of sessions.entries()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-teambench-${index}-`))
    dirs.push(dir)
    const local = await openVault({
      path: path.join(dir, 'vault.json'),
      openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }),
      cipher
    })
    // As the app opens it (team-mode.ts): the link's and the sync's own defaults.
    const link = new TeamLink({ connection: teamConnectionOptions({ url }, `larder-listen-${index}`), channel: teamChannel(session.teamId) })
    const vault = await openTeamVault({ local, link, schema: SCHEMA, session })
    const keys = (joiners[index] as NewMember).keys
    let pushed = 0
    const localAudit = await openAuditLog({ path: path.join(dir, 'audit.jsonl') })
    const memberDb: TeamDb = { pool: link.pool, schema: SCHEMA }
    const audit = new TeamAuditLog(localAudit, { memberId: session.memberId, current: () => (vault.teamState().state === 'online' ? { db: memberDb, session, keys } : null) }, { read: () => pushed, write: (seq) => void (pushed = seq) })
    members.push({ index, id: session.memberId, link, vault, audit })
  }
  return {
    database,
    db,
    members,
    close: async () => {
      for (const member of members) {
        await member.vault.close().catch(() => undefined)
        await member.audit.close().catch(() => undefined)
      }
      await pool.end()
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
