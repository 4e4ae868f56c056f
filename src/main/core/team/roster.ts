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

/**
 * A member no longer in the team (removed, or left), kept so that the audit entries it signed while in still verify:
 * an entry sealed under an epoch after `lastEpoch`, the last one whose key it held, does not.
 */
export interface FormerMember {
  readonly id: string
  readonly label: string
  readonly signingKey: Buffer
  readonly lastEpoch: number
}

export interface Roster {
  readonly version: number
  readonly epoch: number
  readonly members: readonly RosterMember[]
  /** Absent in a roster written before former members were kept. */
  readonly former?: readonly FormerMember[]
}

interface StoredFormer {
  readonly id: string
  readonly label: string
  readonly signingKey: string
  readonly lastEpoch: number
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
  const former: StoredFormer[] = (roster.former ?? []).map((member) => ({ ...member, signingKey: member.signingKey.toString('base64') }))
  return sealRow(teamKey, 'roster', binding(teamId, roster), Buffer.from(JSON.stringify({ members, former }), 'utf8'))
}

export function openRoster(teamKey: Buffer, teamId: string, at: Pick<Roster, 'version' | 'epoch'>, blob: Buffer): Roster {
  const opened: unknown = JSON.parse(openRow(teamKey, 'roster', binding(teamId, at), blob).toString('utf8'))
  const { members, former } = opened as { members?: unknown; former?: unknown }
  if (!Array.isArray(members)) throw new TeamCryptoError(`The team's roster (version ${at.version}) holds no member list.`)
  return {
    ...at,
    members: members.map((member: StoredMember) => ({ ...member, wrappingKey: Buffer.from(member.wrappingKey, 'base64'), signingKey: Buffer.from(member.signingKey, 'base64') })),
    former: Array.isArray(former) ? former.map((member: StoredFormer) => ({ ...member, signingKey: Buffer.from(member.signingKey, 'base64') })) : []
  }
}

/** The roster without `memberId`, kept among the former members (their signatures verify up to `lastEpoch`). */
export function withoutMember(roster: Roster, memberId: string, next: { readonly version: number; readonly epoch: number; readonly lastEpoch: number }): Roster {
  const gone = rosterMember(roster, memberId)
  const former = gone === undefined ? [] : [{ id: gone.id, label: gone.label, signingKey: gone.signingKey, lastEpoch: next.lastEpoch }]
  return { version: next.version, epoch: next.epoch, members: roster.members.filter((member) => member.id !== memberId), former: [...(roster.former ?? []), ...former] }
}

/** Whose signature an audit entry of `epoch` by `memberId` is checked with: a member's, or a former one's up to its last epoch. */
export function signerOf(roster: Roster, memberId: string, epoch: number): { readonly label: string; readonly signingKey: Buffer | null } | undefined {
  const member = rosterMember(roster, memberId)
  if (member !== undefined) return member
  const former = roster.former?.find((one) => one.id === memberId)
  if (former === undefined) return undefined
  return { label: former.label, signingKey: epoch <= former.lastEpoch ? former.signingKey : null }
}

export function rosterMember(roster: Roster, id: string): RosterMember | undefined {
  return roster.members.find((member) => member.id === id)
}
