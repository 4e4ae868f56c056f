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
  // Every session checks the database still holds this team (an override out of reach at start was not checked).
  const verify = async (client: pg.Client): Promise<void> => {
    const found = await teamIdAt(client, schema)
    if (found === session.teamId) return
    const override = options.databaseUrlOverride !== undefined
    throw new Error(`${whereTeamIs(database.url, override)} ${heldThere(found, schema)}: ${override ? 'point it at the team’s database, or unset it' : 'Larder tries it again until it holds this team'}.`)
  }
  const link = new TeamLink({ connection, channel: teamChannel(session.teamId), verify, ...(options.clock ? { clock: options.clock } : {}) })
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
  try {
    await client.connect()
  } catch {
    await client.end().catch(() => undefined)
    return
  }
  let found: string | null
  try {
    found = await teamIdAt(client, schema)
  } catch {
    // The session failed on the way: nothing can be told of this database yet (the link's own check asks again).
    return
  } finally {
    await client.end().catch(() => undefined)
  }
  if (found !== teamId) throw new InputError('teamDatabaseUrl', `${whereTeamIs(url, true)} ${heldThere(found, schema)}: it is not used. Unset it to use the database saved when this machine joined.`)
}

/** The team a database holds in `schema`: its id, or null for none. Any other failure (the session lost) is thrown. */
async function teamIdAt(client: pg.Client, schema: string): Promise<string | null> {
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${schema}.team`)
    return rows[0]?.id ?? null
  } catch (error) {
    if (NO_TEAM_TABLE.has((error as { code?: unknown }).code as string)) return null
    throw error
  }
}

const whereTeamIs = (url: string, override: boolean): string => (override ? `LARDER_TEAM_DATABASE_URL (${redactedUrl(url)}) reaches a database that` : `The team database (${redactedUrl(url)})`)
const heldThere = (found: string | null, schema: string): string => (found === null ? `holds no team in schema ${schema}` : 'holds another team than this vault’s')
