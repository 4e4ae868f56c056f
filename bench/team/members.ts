// The team the scale bench runs: a database on the bench's PostgreSQL, a team made by the first member and joined by
// the others (each approved by code), and per member a real local vault in a temp folder wrapped in a TeamVault over
// its own link, as the app opens one (test/integration/team/team-vault-support.ts does the same for the tests). The
// bench keeps each link to count the notifications it delivers.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openAuditLog } from '../../src/main/core/audit/audit-log.ts'
import { newMemberKeys } from '../../src/main/core/team/crypto/member-keys.ts'
import { teamConnectionOptions } from '../../src/main/core/team/db/connection-config.ts'
import { schemaName } from '../../src/main/core/team/db/migrations.ts'
import { TeamLink } from '../../src/main/core/team/db/team-link.ts'
import type { TeamDb } from '../../src/main/core/team/db/transaction.ts'
import type { NewMember } from '../../src/main/core/team/membership.ts'
import { teamChannel } from '../../src/main/core/team/row-writes.ts'
import { TeamAuditLog } from '../../src/main/core/team/team-audit-log.ts'
import { openTeamVault, type TeamVault } from '../../src/main/core/team/team-vault.ts'
import { createPassphraseCipher } from '../../src/main/core/vault/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../test/support/core-harness.ts'
import { openLocalVault } from '../../test/support/local-vault.ts'
import type { PgServer } from '../../test/support/postgres-server.ts'
import { createTeamDatabase, joinedSessions } from '../../test/support/team-db.ts'

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
  const { url, db } = await createTeamDatabase(server, database, { applicationName: 'larder-bench', max: 1, larderVersion: 'bench' })
  const joiners = Array.from({ length: size }, (_, index): NewMember => ({ id: randomUUID(), label: `Member ${index}'s laptop`, keys: newMemberKeys() }))
  const sessions = await joinedSessions(db, joiners)

  const dirs: string[] = []
  const members: BenchMember[] = []
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  for (const [index, session] of sessions.entries()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-teambench-${index}-`))
    dirs.push(dir)
    const local = await openLocalVault(dir, cipher)
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
      await db.pool.end()
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
