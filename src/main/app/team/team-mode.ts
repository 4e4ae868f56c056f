// Opening a vault in a team (issue 16): when the team file beside the vault says this machine is a member, the core
// runs on the team vault (over the local one, its sealed cache) and the audit trail is pushed to the team's. The
// session comes from the team file alone, so a start with the server out of reach opens offline and lists and copies
// from the cache; the link keeps trying by itself. What this machine held before it joined goes to the team once.
import type { AuditLog } from '../../core/audit/index.ts'
import pg from 'pg'
import { InputError } from '../../core/errors.ts'
import { redactedUrl, teamConnectionOptions, type TeamConnectionOptions } from '../../core/team/db/connection-config.ts'
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

export interface TeamModeOptions {
  readonly clock?: Clock
  /**
   * The team database's URL to use instead of the one saved when this machine joined (LARDER_TEAM_DATABASE_URL, read
   * by the host: a password the database's administrator rotated, another host name from a server). Only for the
   * same team: a database found holding another team is refused (teamDatabaseOverride below). The saved CA is kept.
   */
  readonly databaseUrlOverride?: string
}

/** The vault and trail the core runs on: the team's when this vault is a member of one, else null (a local vault). */
export async function openTeamMode(local: Vault, localAudit: AuditLog, options: TeamModeOptions = {}): Promise<TeamMode | null> {
  const file = teamFilePath(local.path)
  const team = readTeamFile(file)
  if (team === null || team.state !== 'member') return null
  const session = await openMembership(local)
  const keys = await openMemberKeys(local, team)
  const saved = await openDatabaseSettings(local, team)
  const schema = schemaName(team.schema)
  const database = options.databaseUrlOverride === undefined ? saved : { ...saved, url: options.databaseUrlOverride }
  const connection = teamConnectionOptions(database, 'larder-listen')
  if (options.databaseUrlOverride !== undefined) await refuseAnotherTeam(connection, schema, session.teamId, database.url)
  const link = new TeamLink({ connection, channel: teamChannel(session.teamId), ...(options.clock ? { clock: options.clock } : {}) })
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

/** PostgreSQL's undefined_table and invalid_schema_name. */
const NO_TEAM_TABLE = new Set(['42P01', '3F000'])

/**
 * LARDER_TEAM_DATABASE_URL, when set and not blank: the override openTeamMode takes. The one reading of the variable:
 * each host calls it on its environment and hands the answer to the app (AppPorts.teamDatabaseUrl).
 */
export function teamDatabaseOverride(env: NodeJS.ProcessEnv): string | undefined {
  const url = env['LARDER_TEAM_DATABASE_URL']?.trim()
  return url === undefined || url === '' ? undefined : url
}

/**
 * An overriding URL must reach this vault's own team: asked once before the link is built. A database that answers
 * with another team (or none) is refused, naming the URL without its password; one out of reach is used (this
 * machine starts offline, as it would on the saved URL), since nothing can be told of it until it answers.
 */
async function refuseAnotherTeam(connection: TeamConnectionOptions, schema: string, teamId: string, url: string): Promise<void> {
  const client = new pg.Client({ ...connection, application_name: 'larder' })
  client.on('error', () => undefined)
  let found: string | null
  try {
    await client.connect()
  } catch {
    await client.end().catch(() => undefined)
    return
  }
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${schema}.team`)
    found = rows[0]?.id ?? null
  } catch (error) {
    // No such schema or table: no team there. Anything else (the connection lost) tells nothing either way.
    if (!NO_TEAM_TABLE.has((error as { code?: unknown }).code as string)) return
    found = null
  } finally {
    await client.end().catch(() => undefined)
  }
  if (found !== teamId) throw new InputError('teamDatabaseUrl', `LARDER_TEAM_DATABASE_URL (${redactedUrl(url)}) reaches a database that ${found === null ? `holds no team in schema ${schema}` : 'holds another team than this vault’s'}: it is not used. Unset it to use the database saved when this machine joined.`)
}
