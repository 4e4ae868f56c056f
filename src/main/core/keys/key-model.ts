// A key of a system Larder keeps as given (SafetyCulture, Airtable, an admin-managed service token): plain data, no
// I/O. Its secret is one token, sealed in the vault like a library's; everything here is safe to log and show.
import type { KeyDetailsBySystem, KeySystemId } from '../systems/registry.ts'
import type { CheckOutcome, KeyIdentity } from '../systems/system.ts'

/** Where a key stands as far as a person or its admin has said (a regenerated value replaces the token in place). */
export const KEY_STATES = ['active', 'revoked', 'expired', 'deleted'] as const
export type KeyState = (typeof KEY_STATES)[number]

/** What happened to a key, kept with its date: its history. */
export const KEY_EVENTS = ['added', 'regenerated', 'revoked', 'restored', 'expired', 'deleted', 'used_elsewhere', 'expiry_changed', 'details_changed'] as const
export type KeyEvent = (typeof KEY_EVENTS)[number]

export interface KeyHistoryItem {
  readonly at: number
  readonly event: KeyEvent
}

/** The last check Larder made, as a person reads it. */
export interface KeyCheck {
  readonly at: number
  readonly outcome: CheckOutcome['outcome']
  readonly identity: KeyIdentity | null
  /** A sentence for a person (the likely causes of a refusal, what was unreachable); null when it worked. */
  readonly message: string | null
}

interface KeyMetaOf<Id extends KeySystemId> {
  readonly id: string
  readonly system: Id
  readonly name: string
  /** Groups a customer's keys together (the restaurant group); null: none given. */
  readonly customer: string | null
  readonly notes: string
  readonly details: KeyDetailsBySystem[Id]
  readonly state: KeyState
  readonly addedAt: number
  /** The last use Larder made (check, copy, hand-out) or was told of ("used elsewhere"). */
  readonly lastUsedAt: number | null
  readonly lastCheck: KeyCheck | null
  /** Oldest first, at most KEY_HISTORY_LIMIT items (the oldest go first). */
  readonly history: readonly KeyHistoryItem[]
  /** The token's last four characters, for recognising it: "…a91f". */
  readonly tokenPreview: string
}

export type KeyMeta = { [Id in KeySystemId]: KeyMetaOf<Id> }[KeySystemId]

export interface KeySecrets {
  readonly token: string
}

export const KEY_HISTORY_LIMIT = 100

/** The history with `item` added, keeping at most KEY_HISTORY_LIMIT. */
export function withHistory(history: readonly KeyHistoryItem[], item: KeyHistoryItem): KeyHistoryItem[] {
  const next = [...history, item]
  return next.length > KEY_HISTORY_LIMIT ? next.slice(next.length - KEY_HISTORY_LIMIT) : next
}
