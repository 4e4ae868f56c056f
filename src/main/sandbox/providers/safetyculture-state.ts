// SafetyCulture's token world (seed 002): organisations, users and service users, and their API tokens with the
// rules the fake enforces: 10 active tokens per user, 20 active service-user tokens per organisation, a token dies
// after 30 days without a use (and stays dead), a user token dies with its deactivated user, revoking is final.

import type { SandboxClock } from '../clock.ts'
import { SandboxError } from '../model.ts'
import { DAY_MS, lookup, opaque, randomId, requireName } from './common.ts'

export const SAFETYCULTURE_INACTIVITY_MS = 30 * DAY_MS
export const SAFETYCULTURE_MAX_ACTIVE_TOKENS_PER_USER = 10
export const SAFETYCULTURE_MAX_ACTIVE_SERVICE_TOKENS_PER_ORGANISATION = 20

export type SafetyCultureTokenKind = 'user' | 'service_user'
/** `expired_inactive`: unused for 30 days; `owner_deactivated`: the user was deactivated or left. */
export type SafetyCultureTokenStatus = 'active' | 'revoked' | 'expired_inactive' | 'owner_deactivated'

export interface SafetyCultureOrganisation {
  id: string
  name: string
}

export interface SafetyCulturePerson {
  id: string
  organisationId: string
  kind: SafetyCultureTokenKind
  firstname: string
  lastname: string
  active: boolean
}

export interface IssuedSafetyCultureToken {
  id: string
  /** Shown once, as in the web app. */
  value: string
}

export interface SafetyCultureTokenInfo {
  id: string
  kind: SafetyCultureTokenKind
  ownerId: string
  organisationId: string
  status: SafetyCultureTokenStatus
  createdAt: number
  lastUsedAt: number
}

interface TokenRecord {
  id: string
  value: string
  kind: SafetyCultureTokenKind
  ownerId: string
  organisationId: string
  createdAt: number
  lastUsedAt: number
  revoked: boolean
  /** Set the first time the token is seen past its 30 days; from then on it is dead whatever the clock says. */
  expiredInactive: boolean
}

export interface SafetyCultureStateOptions {
  /** Default true: the README's safe reading, service-user tokens also die after 30 idle days. */
  serviceTokensExpireWhenInactive: boolean
}

export class SafetyCultureState {
  private readonly organisations = new Map<string, SafetyCultureOrganisation>()
  private readonly people = new Map<string, SafetyCulturePerson>()
  private readonly tokens = new Map<string, TokenRecord>()
  private readonly byValue = new Map<string, TokenRecord>()

  private readonly clock: SandboxClock
  private readonly options: SafetyCultureStateOptions

  constructor(clock: SandboxClock, options: SafetyCultureStateOptions) {
    this.clock = clock
    this.options = options
  }

  addOrganisation(name: string): SafetyCultureOrganisation {
    // SafetyCulture organisation ids read `role_<32 hex>` in its API (assumed shape: opaque to Larder anyway).
    const org = { id: randomId('role_', 32), name: requireName(name, 'an organisation') }
    this.organisations.set(org.id, org)
    return { ...org }
  }

  addPerson(kind: SafetyCultureTokenKind, organisationId: string, firstname: string, lastname: string, active: boolean): SafetyCulturePerson {
    lookup(this.organisations, organisationId, 'organisation')
    const person: SafetyCulturePerson = {
      id: randomId('user_', 32),
      organisationId,
      kind,
      firstname: requireName(firstname, kind === 'user' ? 'a user' : 'a service user'),
      lastname: lastname.trim(),
      active
    }
    this.people.set(person.id, person)
    return { ...person }
  }

  deactivateUser(userId: string): void {
    const person = lookup(this.people, userId, 'user')
    if (person.kind !== 'user') throw new SandboxError('service users are not affected by staff changes; revoke their tokens instead')
    person.active = false
  }

  issueToken(ownerId: string, kind: SafetyCultureTokenKind): IssuedSafetyCultureToken {
    const owner = lookup(this.people, ownerId, kind === 'user' ? 'user' : 'service user')
    if (owner.kind !== kind) throw new SandboxError(`'${ownerId}' is not a ${kind === 'user' ? 'user' : 'service user'}`)
    if (!owner.active) throw new SandboxError('a deactivated user cannot create API tokens')
    if (kind === 'user') {
      const active = this.activeTokens((t) => t.ownerId === ownerId).length
      if (active >= SAFETYCULTURE_MAX_ACTIVE_TOKENS_PER_USER) {
        throw new SandboxError(`a user may hold at most ${SAFETYCULTURE_MAX_ACTIVE_TOKENS_PER_USER} active API tokens`)
      }
    } else {
      const active = this.activeTokens((t) => t.kind === 'service_user' && t.organisationId === owner.organisationId).length
      if (active >= SAFETYCULTURE_MAX_ACTIVE_SERVICE_TOKENS_PER_ORGANISATION) {
        throw new SandboxError(
          `an organisation may hold at most ${SAFETYCULTURE_MAX_ACTIVE_SERVICE_TOKENS_PER_ORGANISATION} active service user API tokens`
        )
      }
    }
    const now = this.clock.now()
    const record: TokenRecord = {
      id: randomId('apitoken_', 16),
      value: opaque(64),
      kind,
      ownerId,
      organisationId: owner.organisationId,
      createdAt: now,
      lastUsedAt: now,
      revoked: false,
      expiredInactive: false
    }
    this.tokens.set(record.id, record)
    this.byValue.set(record.value, record)
    return { id: record.id, value: record.value }
  }

  revokeToken(tokenId: string): void {
    lookup(this.tokens, tokenId, 'token').revoked = true
  }

  tokenInfo(tokenId: string): SafetyCultureTokenInfo {
    const t = lookup(this.tokens, tokenId, 'token')
    return {
      id: t.id,
      kind: t.kind,
      ownerId: t.ownerId,
      organisationId: t.organisationId,
      status: this.statusOf(t),
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt
    }
  }

  /** The identity a presented value acts as; null when the value is unknown or dead. Looking is not a use. */
  authenticate(value: string): { person: SafetyCulturePerson; tokenId: string } | null {
    const token = this.byValue.get(value)
    if (token === undefined || this.statusOf(token) !== 'active') return null
    return { person: { ...lookup(this.people, token.ownerId, 'user') }, tokenId: token.id }
  }

  /** An answered call: the 30 days start again. */
  recordUse(tokenId: string): void {
    lookup(this.tokens, tokenId, 'token').lastUsedAt = this.clock.now()
  }

  private activeTokens(match: (t: TokenRecord) => boolean): TokenRecord[] {
    return [...this.tokens.values()].filter((t) => match(t) && this.statusOf(t) === 'active')
  }

  private statusOf(t: TokenRecord): SafetyCultureTokenStatus {
    if (t.revoked) return 'revoked'
    const expires = t.kind === 'user' || this.options.serviceTokensExpireWhenInactive
    if (!t.expiredInactive && expires && this.clock.now() - t.lastUsedAt >= SAFETYCULTURE_INACTIVITY_MS) t.expiredInactive = true
    if (t.expiredInactive) return 'expired_inactive'
    if (lookup(this.people, t.ownerId, 'user').active !== true) return 'owner_deactivated'
    return 'active'
  }
}
