// The team's member list (issue 16), sealed under the team key: who is in, by their public keys. Only a member holding
// the team key can write it, so a key the database slips into its `members` table is never in the roster and never
// has the team key wrapped for it. Its version moves with each change; a blob opens only at its own version and epoch.
import { TeamCryptoError } from './crypto/encoding.ts'
import { openRow, sealRow } from './crypto/row-seal.ts'

export interface RosterMember {
  readonly id: string
  /** What the member called themselves when joining ("Dana's laptop"). */
  readonly label: string
  /** X25519 public key (raw 32 bytes): the team key is wrapped for it. */
  readonly wrappingKey: Buffer
  /** Ed25519 public key (raw 32 bytes): their approvals and audit entries are checked with it. */
  readonly signingKey: Buffer
  readonly addedBy: string | null
  readonly addedAt: number
}

export interface Roster {
  readonly version: number
  readonly epoch: number
  readonly members: readonly RosterMember[]
}

interface StoredMember {
  readonly id: string
  readonly label: string
  readonly wrappingKey: string
  readonly signingKey: string
  readonly addedBy: string | null
  readonly addedAt: number
}

const binding = (teamId: string, roster: Pick<Roster, 'version' | 'epoch'>) => ({ teamId, rowId: 'roster', kind: 'roster', epoch: roster.epoch, pairVersion: roster.version })

export function sealRoster(teamKey: Buffer, teamId: string, roster: Roster): Buffer {
  const members: StoredMember[] = roster.members.map((member) => ({ ...member, wrappingKey: member.wrappingKey.toString('base64'), signingKey: member.signingKey.toString('base64') }))
  return sealRow(teamKey, 'roster', binding(teamId, roster), Buffer.from(JSON.stringify({ members }), 'utf8'))
}

export function openRoster(teamKey: Buffer, teamId: string, at: Pick<Roster, 'version' | 'epoch'>, blob: Buffer): Roster {
  const opened: unknown = JSON.parse(openRow(teamKey, 'roster', binding(teamId, at), blob).toString('utf8'))
  const members = (opened as { members?: unknown }).members
  if (!Array.isArray(members)) throw new TeamCryptoError(`The team's roster (version ${at.version}) holds no member list.`)
  return {
    ...at,
    members: members.map((member: StoredMember) => ({ ...member, wrappingKey: Buffer.from(member.wrappingKey, 'base64'), signingKey: Buffer.from(member.signingKey, 'base64') }))
  }
}

export function rosterMember(roster: Roster, id: string): RosterMember | undefined {
  return roster.members.find((member) => member.id === id)
}
