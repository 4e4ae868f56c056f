// Opening a vault in a team (issue 16): when the team file beside the vault says this machine is a member, the core
// runs on the team vault (over the local one, its sealed cache) and the audit trail is pushed to the team's. The
// session comes from the team file alone, so a start with the server out of reach opens offline and lists and copies
// from the cache; the link keeps trying by itself. What this machine held before it joined goes to the team once.
import type { AuditLog } from '../../core/audit/index.ts'
import { teamConnectionOptions } from '../../core/team/db/connection-config.ts'
import { schemaName } from '../../core/team/db/migrations.ts'
import { TeamLink } from '../../core/team/db/team-link.ts'
import { teamChannel } from '../../core/team/row-writes.ts'
import { TeamAuditLog } from '../../core/team/team-audit-log.ts'
import { openMembership } from '../../core/team/team-membership.ts'
import { openDatabaseSettings, openMemberKeys, readTeamFile, teamFilePath, writeTeamFile } from '../../core/team/team-settings.ts'
import { openTeamVault, type TeamVault } from '../../core/team/team-vault.ts'
import type { Clock } from '../../core/time/clock.ts'
import type { Vault } from '../../core/vault/index.ts'

export interface TeamMode {
  readonly vault: TeamVault
  readonly audit: AuditLog
}

/** The vault and trail the core runs on: the team's when this vault is a member of one, else null (a local vault). */
export async function openTeamMode(local: Vault, localAudit: AuditLog, options: { readonly clock?: Clock } = {}): Promise<TeamMode | null> {
  const file = teamFilePath(local.path)
  const team = readTeamFile(file)
  if (team === null || team.state !== 'member') return null
  const session = await openMembership(local)
  const keys = await openMemberKeys(local, team)
  const link = new TeamLink({ connection: teamConnectionOptions(await openDatabaseSettings(local, team), 'larder-listen'), channel: teamChannel(session.teamId), ...(options.clock ? { clock: options.clock } : {}) })
  const schema = schemaName(team.schema)
  const vault = await openTeamVault({ local, link, schema, session, ...(options.clock ? { clock: options.clock } : {}) })
  const db = { pool: link.pool, schema }
  const cursor = {
    read: () => readTeamFile(file)?.auditPushedSeq ?? 0,
    write: (seq: number) => {
      const now = readTeamFile(file)
      if (now !== null) writeTeamFile(file, { ...now, auditPushedSeq: seq })
    }
  }
  const audit = new TeamAuditLog(localAudit, { memberId: session.memberId, current: () => (vault.teamState().state === 'online' ? { db, session: vault.currentSession(), keys } : null) }, cursor)
  const online = (): void => {
    // What this machine held before it joined goes to the team once; entries recorded offline follow.
    void vault.shareLocal().catch(() => undefined)
    void audit.push().catch(() => undefined)
  }
  vault.on('state', (state) => {
    if (state.state === 'online') online()
  })
  if (vault.teamState().state === 'online') online()
  return { vault, audit }
}
