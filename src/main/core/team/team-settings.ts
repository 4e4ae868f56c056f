// This machine's membership of a team (issue 16): a small file beside the vault (`<vault>.team`), as the scheduled
// backups' settings are. What a person or the server could use is sealed with the vault's own key (Vault.sealValue),
// each value for its own purpose: the database URL (it may hold a password) and the CA it trusts, the member's private
// keys, and the team key of every epoch this member was given (old audit entries stay readable, and an offline start
// needs no server). In clear only ids and the schema name, which the database holds in clear too.
// Not in the vault file: membership is this machine's, and never travels in a backup.
import fs from 'node:fs'
import path from 'node:path'
import { fsyncDirectory, readFileOrNull, writeFileAtomic } from '../vault/durable-fs.ts'
import type { Vault } from '../vault/vault-types.ts'
import { exportMemberKeys, importMemberKeys, type MemberKeys } from './crypto/member-keys.ts'
import type { TeamDatabaseSettings } from './db/connection-config.ts'

export const TEAM_FORMAT = 'larder-team'

/** Sealed values, each opened only for its purpose. */
const PURPOSE = { database: 'team-database', memberKeys: 'team-member-keys', joinCode: 'team-join-code', teamKey: (epoch: number) => `team-key-${epoch}` } as const

export interface TeamFile {
  readonly teamId: string | null
  readonly memberId: string
  /** How this member is named to the others (sealed in the roster; here only for this machine's own window). */
  readonly label: string
  /** 'joining': a request waits for approval, its code on this screen; 'member': in the team. */
  readonly state: 'joining' | 'member'
  readonly schema: string
  readonly sealedDatabase: string
  readonly sealedMemberKeys: string
  /** The code shown while joining, sealed; null once a member. */
  readonly sealedJoinCode: string | null
  /** Team keys by epoch, each sealed. */
  readonly sealedTeamKeys: Readonly<Record<string, string>>
  readonly currentEpoch: number
  /** The roster as last read (sealed under the team key already, bound to its version and epoch): an offline start knows who is in. */
  readonly roster: RosterCache | null
  /** The last entry of this machine's audit trail pushed to the team's (team-audit-log.ts); 0: none yet. */
  readonly auditPushedSeq?: number
  /**
   * Set while this machine takes the team's credentials home (team-exit.ts), from before the database marks them moved
   * until the team file goes: a restart in between keeps the copies here (they are the only ones left) and learns
   * from the database whether the team ended.
   */
  readonly takingHomeSince?: number
}

export interface RosterCache {
  readonly version: number
  readonly epoch: number
  /** The sealed blob, base64. */
  readonly sealed: string
}

export function teamFilePath(vaultPath: string): string {
  return `${vaultPath}.team`
}

export class TeamFileError extends Error {
  override readonly name = 'TeamFileError'
}

const text = (value: Record<string, unknown>, key: string): string => {
  const found = value[key]
  if (typeof found !== 'string' || found === '') throw new TeamFileError(`the field ${key} is missing`)
  return found
}

function isRosterCache(value: unknown): value is RosterCache {
  const cache = value as Partial<Record<keyof RosterCache, unknown>>
  return typeof value === 'object' && value !== null && Number.isInteger(cache.version) && Number.isInteger(cache.epoch) && typeof cache.sealed === 'string'
}

/** The membership as the file holds it; null when this vault is in no team. A file that does not read is refused, never reset. */
export function readTeamFile(file: string): TeamFile | null {
  const raw = readFileOrNull(file)
  if (raw === null) return null
  try {
    const value = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    if (value['format'] !== TEAM_FORMAT || value['version'] !== 1) throw new TeamFileError('not a team file of version 1')
    const state = value['state']
    if (state !== 'joining' && state !== 'member') throw new TeamFileError('the field state is not joining or member')
    const keys = value['sealedTeamKeys']
    if (typeof keys !== 'object' || keys === null || Object.values(keys).some((sealed) => typeof sealed !== 'string')) throw new TeamFileError('the field sealedTeamKeys is not a map of sealed keys')
    const epoch = value['currentEpoch']
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new TeamFileError('the field currentEpoch is not a whole number')
    const roster = value['roster']
    if (roster !== null && roster !== undefined && !isRosterCache(roster)) throw new TeamFileError('the field roster is not a cached roster')
    return {
      teamId: state === 'member' ? text(value, 'teamId') : null,
      memberId: text(value, 'memberId'),
      label: text(value, 'label'),
      state,
      schema: text(value, 'schema'),
      sealedDatabase: text(value, 'sealedDatabase'),
      sealedMemberKeys: text(value, 'sealedMemberKeys'),
      sealedJoinCode: typeof value['sealedJoinCode'] === 'string' ? value['sealedJoinCode'] : null,
      sealedTeamKeys: keys as Record<string, string>,
      currentEpoch: epoch,
      roster: roster ?? null,
      auditPushedSeq: typeof value['auditPushedSeq'] === 'number' && Number.isSafeInteger(value['auditPushedSeq']) && value['auditPushedSeq'] >= 0 ? value['auditPushedSeq'] : 0,
      ...(typeof value['takingHomeSince'] === 'number' ? { takingHomeSince: value['takingHomeSince'] } : {})
    }
  } catch (error) {
    const why = error instanceof TeamFileError ? error.message : 'it is not JSON'
    throw new TeamFileError(`This vault's team membership (${file}) cannot be read (${why}). Nothing was changed; restore the file from a backup, or leave the team and join again.`)
  }
}

export function writeTeamFile(file: string, team: TeamFile): void {
  writeFileAtomic(file, `${JSON.stringify({ format: TEAM_FORMAT, version: 1, ...team }, null, 2)}\n`)
}

/** This vault back to no team (a request withdrawn, the team left): the file goes, durably. */
export function removeTeamFile(file: string): void {
  fs.rmSync(file, { force: true })
  fsyncDirectory(path.dirname(file))
}

/** Seals what a new membership holds. */
export async function sealMembership(
  vault: Pick<Vault, 'sealValue'>,
  parts: { readonly database: TeamDatabaseSettings; readonly keys: MemberKeys; readonly joinCode: string | null }
): Promise<Pick<TeamFile, 'sealedDatabase' | 'sealedMemberKeys' | 'sealedJoinCode'>> {
  const der = exportMemberKeys(parts.keys)
  return {
    sealedDatabase: await vault.sealValue(PURPOSE.database, JSON.stringify(parts.database)),
    sealedMemberKeys: await vault.sealValue(PURPOSE.memberKeys, JSON.stringify({ wrapping: der.wrapping.toString('base64'), signing: der.signing.toString('base64') })),
    sealedJoinCode: parts.joinCode === null ? null : await vault.sealValue(PURPOSE.joinCode, parts.joinCode)
  }
}

export async function sealTeamKey(vault: Pick<Vault, 'sealValue'>, epoch: number, teamKey: Buffer): Promise<string> {
  return vault.sealValue(PURPOSE.teamKey(epoch), teamKey.toString('base64'))
}

export async function openDatabaseSettings(vault: Pick<Vault, 'openValue'>, team: TeamFile): Promise<TeamDatabaseSettings> {
  return JSON.parse(await vault.openValue(PURPOSE.database, team.sealedDatabase)) as TeamDatabaseSettings
}

export async function openMemberKeys(vault: Pick<Vault, 'openValue'>, team: TeamFile): Promise<MemberKeys> {
  const der = JSON.parse(await vault.openValue(PURPOSE.memberKeys, team.sealedMemberKeys)) as { wrapping: string; signing: string }
  return importMemberKeys({ wrapping: Buffer.from(der.wrapping, 'base64'), signing: Buffer.from(der.signing, 'base64') })
}

export async function openJoinCode(vault: Pick<Vault, 'openValue'>, team: TeamFile): Promise<string | null> {
  return team.sealedJoinCode === null ? null : vault.openValue(PURPOSE.joinCode, team.sealedJoinCode)
}

/** The team key of an epoch this member was given; undefined when it never was. */
export async function openTeamKey(vault: Pick<Vault, 'openValue'>, team: TeamFile, epoch: number): Promise<Buffer | undefined> {
  const sealed = team.sealedTeamKeys[String(epoch)]
  return sealed === undefined ? undefined : Buffer.from(await vault.openValue(PURPOSE.teamKey(epoch), sealed), 'base64')
}
