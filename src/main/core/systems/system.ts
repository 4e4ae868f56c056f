// A token system (Apicbase, SafetyCulture, Airtable, an admin-managed service token…) as Larder sees it: what a key
// of it holds besides its secret, how a request carries the secret, how Larder checks that it works (a documented,
// read-only, cheap call, or none), the rule that makes it expire, which actions a person can take on it, and the
// environment variables a script expects it in. Everything with a system in it goes through here, so adding one is
// a folder with its definition and one line in registry.ts.
import type { Dispatcher } from 'undici'
import { SYSTEM_IDS } from '../../../shared/contract/words.ts'

export { SYSTEM_IDS }
export type SystemId = (typeof SYSTEM_IDS)[number]

/** How a request carries the secret: `Authorization: Bearer <token>`, or the token alone in a named header. */
export type Carry = { readonly kind: 'bearer' } | { readonly kind: 'header'; readonly name: string }

/** What a person can do with a key of the system (beyond copy and hand-out, which every usable key allows). */
export const KEY_ACTIONS = [
  'refresh',
  'reauthorize',
  'regenerate',
  'revoke',
  'restore',
  'delete',
  'keep_alive',
  'mark_used',
  'check',
  'set_expiry'
] as const
export type KeyAction = (typeof KEY_ACTIONS)[number]

/** Who the key acts as, when its check says. */
export interface KeyIdentity {
  readonly id: string
  /** A person's or service user's name, or an e-mail address; null when the system did not say. */
  readonly who: string | null
  readonly organisation: string | null
}

/** What one check found. Never holds the secret or anything the server echoed of it. */
export type CheckOutcome =
  | { readonly outcome: 'ok'; readonly identity: KeyIdentity | null }
  /** The system refused the key itself (401): it no longer works. `causes`: the likely reasons, for a person. */
  | { readonly outcome: 'refused'; readonly status: number; readonly causes: string }
  /** The key works but may not make the check's call (403: a scope or base missing). */
  | { readonly outcome: 'forbidden'; readonly status: number; readonly message: string }
  | { readonly outcome: 'rate_limited'; readonly retryAt: number }
  /** No usable answer (network, 5xx, a page that is not the API's): says nothing about the key. */
  | { readonly outcome: 'unreachable'; readonly message: string }

export interface CheckContext<Details> {
  readonly details: Details
  readonly token: string
  /** The key's name, for messages. */
  readonly name: string
  readonly dispatcher: Dispatcher
  readonly now: () => number
}

/** The times that decide a key's status, from its system's rule. */
export interface KeyTimeline {
  /** When it stops working on its own (a date set by an admin, 30 days without use); null: never. */
  readonly expiresAt: number | null
  /** From when a person is warned; null: never. */
  readonly warnFrom: number | null
  /** True when the rule that ends it is inactivity (its status then says "Inactive", not "Expired"). */
  readonly byInactivity: boolean
}

/** What a rule reads of a key: the uses Larder knows of, and its system's details. */
export interface KeyFacts<Details> {
  readonly details: Details
  readonly addedAt: number
  /** The last use Larder made (a check, a copy, a hand-out) or was told of ("used elsewhere"). */
  readonly lastUsedAt: number | null
}

/** What every token system says of itself: its name, how a request carries its secret, what a person can do, the
 * environment a script expects. */
export interface TokenSystem<Details = unknown> {
  readonly id: SystemId
  readonly label: string
  carry(details: Details): Carry
  readonly actions: readonly KeyAction[]
  /** The variables a script expects the key in (`larder exec`), by the system's convention. */
  environment(details: Details, token: string): Readonly<Record<string, string>>
}

/**
 * A system whose keys Larder keeps as they are given (no refresh of its own): what else a key holds, how Larder
 * checks it, and the rule that ends it. Apicbase is not one: its token pairs are refreshed by the refresh engine and
 * checked by the health monitor, which know its rotation.
 */
export interface KeySystem<Details = unknown> extends TokenSystem<Details> {
  /** The details a person gave, checked and normalised; an InputError names the field that was wrong. */
  parseDetails(raw: unknown): Details
  /** Null: the system has no check Larder may make (none documented, or no URL given). */
  checkWith(details: Details): ((context: CheckContext<Details>) => Promise<CheckOutcome>) | null
  timeline(key: KeyFacts<Details>): KeyTimeline
  /** A read-only address a copied `curl` line calls with the key (its check's); null: none known. */
  readUrl(details: Details): string | null
  /**
   * The address Larder sends a key's secret to (its API base, its check URL); null: Larder sends it nowhere. Its host
   * must be trusted (hosts.ts) or confirmed by name before a key is added there or moved there.
   */
  sendsTo(details: Details): string | null
  /**
   * The hosts (https on the default port, as the URL parser writes them) the system documents as its own, where Larder
   * sends its keys without asking. This computer (the fakes) is trusted for every system; any other host is confirmed.
   */
  readonly trustedHosts: readonly string[]
}

/** The request headers that carry `token`. */
export function carryHeaders(carry: Carry, token: string): Record<string, string> {
  return carry.kind === 'bearer' ? { authorization: `Bearer ${token}` } : { [carry.name.toLowerCase()]: token }
}
