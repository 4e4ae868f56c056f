// Admin-managed service tokens of a platform Larder cannot name (seed 003): service users made by an admin, each with
// tokens that are generated, revoked (dead at once), restored (a revoked one lives again), deleted (only a revoked or
// expired one, for good), and may carry an expiry time. A token is carried as `Authorization: Bearer` or in a named
// header, and only the way it was registered counts.

import type { SandboxClock } from '../clock.ts'
import { SandboxError } from '../model.ts'
import { lookup, opaque, randomId, requireName, requireTime } from './common.ts'

/** How a request carries the token. */
export type TokenCarrier = { kind: 'bearer' } | { kind: 'header'; name: string }
export type ServiceTokenStatus = 'active' | 'revoked' | 'expired' | 'deleted'

export interface ServiceUser {
  id: string
  name: string
}

export interface ServiceTokenInfo {
  id: string
  name: string
  serviceUserId: string
  environment: string | null
  carrier: TokenCarrier
  status: ServiceTokenStatus
  expiresAt: number | null
  lastUsedAt: number | null
}

export interface CreateServiceToken {
  serviceUserId: string
  name: string
  /** Default Bearer. */
  carrier?: TokenCarrier
  environment?: string
  /** Sandbox-clock ms; default none. */
  expiresAt?: number | null
}

interface TokenRecord {
  id: string
  name: string
  serviceUserId: string
  environment: string | null
  carrier: TokenCarrier
  value: string
  revoked: boolean
  deleted: boolean
  expiresAt: number | null
  lastUsedAt: number | null
}

/** RFC 9110 field-name characters; Authorization is not a "named header" (that is what Bearer is for). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

export class CheckUrlState {
  private readonly serviceUsers = new Map<string, ServiceUser>()
  private readonly tokens = new Map<string, TokenRecord>()
  private readonly byValue = new Map<string, TokenRecord>()

  private readonly clock: SandboxClock

  constructor(clock: SandboxClock) {
    this.clock = clock
  }

  createServiceUser(name: string): ServiceUser {
    const user = { id: randomId('svc_', 12), name: requireName(name, 'a service user') }
    this.serviceUsers.set(user.id, user)
    return { ...user }
  }

  createToken(spec: CreateServiceToken): { id: string; value: string } {
    lookup(this.serviceUsers, spec.serviceUserId, 'service user')
    const record: TokenRecord = {
      id: randomId('tok_', 12),
      name: requireName(spec.name, 'a token'),
      serviceUserId: spec.serviceUserId,
      environment: spec.environment?.trim() || null,
      carrier: parseCarrier(spec.carrier ?? { kind: 'bearer' }),
      value: opaque(48),
      revoked: false,
      deleted: false,
      expiresAt: spec.expiresAt == null ? null : requireTime(spec.expiresAt, 'expiresAt'),
      lastUsedAt: null
    }
    this.tokens.set(record.id, record)
    this.byValue.set(record.value, record)
    return { id: record.id, value: record.value }
  }

  revoke(tokenId: string): void {
    this.existing(tokenId).revoked = true
  }

  restore(tokenId: string): void {
    const token = this.existing(tokenId)
    if (!token.revoked) throw new SandboxError('only a revoked token can be restored')
    token.revoked = false
  }

  /** Only a revoked or expired token may be deleted, as the platform's admin page allows. */
  delete(tokenId: string): void {
    const token = this.existing(tokenId)
    const status = this.statusOf(token)
    if (status !== 'revoked' && status !== 'expired') throw new SandboxError(`only a revoked or expired token can be deleted (this one is ${status})`)
    token.deleted = true
    this.byValue.delete(token.value)
  }

  setExpiry(tokenId: string, expiresAt: number | null): void {
    this.existing(tokenId).expiresAt = expiresAt === null ? null : requireTime(expiresAt, 'expiresAt')
  }

  tokenInfo(tokenId: string): ServiceTokenInfo {
    const t = lookup(this.tokens, tokenId, 'token')
    return {
      id: t.id,
      name: t.name,
      serviceUserId: t.serviceUserId,
      environment: t.environment,
      carrier: { ...t.carrier },
      status: this.statusOf(t),
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt
    }
  }

  /** Header names (lower case) that carry some registered token, so a request is searched only where tokens live. */
  headerNames(): Set<string> {
    const names = new Set<string>()
    for (const t of this.tokens.values()) if (t.carrier.kind === 'header') names.add(t.carrier.name.toLowerCase())
    return names
  }

  /**
   * What a value presented through `carrier` is: unknown (also when it is a real token carried the wrong way, or
   * deleted), or a token with its status. An active one is marked used.
   */
  present(value: string, carrier: TokenCarrier): { status: Exclude<ServiceTokenStatus, 'deleted'>; serviceUser: ServiceUser; tokenId: string } | null {
    const token = this.byValue.get(value)
    if (token === undefined || token.deleted || !sameCarrier(token.carrier, carrier)) return null
    const status = this.statusOf(token)
    if (status === 'deleted') return null
    if (status === 'active') token.lastUsedAt = this.clock.now()
    return { status, serviceUser: { ...lookup(this.serviceUsers, token.serviceUserId, 'service user') }, tokenId: token.id }
  }

  private existing(tokenId: string): TokenRecord {
    const token = lookup(this.tokens, tokenId, 'token')
    if (token.deleted) throw new SandboxError(`token '${tokenId}' was deleted`)
    return token
  }

  private statusOf(t: TokenRecord): ServiceTokenStatus {
    if (t.deleted) return 'deleted'
    if (t.revoked) return 'revoked'
    if (t.expiresAt !== null && this.clock.now() >= t.expiresAt) return 'expired'
    return 'active'
  }
}

function parseCarrier(carrier: TokenCarrier): TokenCarrier {
  if (carrier.kind === 'bearer') return { kind: 'bearer' }
  if (carrier.kind === 'header' && HEADER_NAME.test(carrier.name) && carrier.name.toLowerCase() !== 'authorization') {
    return { kind: 'header', name: carrier.name }
  }
  throw new SandboxError('a token is carried as Bearer or in a named header (a valid field name other than Authorization)')
}

function sameCarrier(a: TokenCarrier, b: TokenCarrier): boolean {
  if (a.kind === 'bearer' || b.kind === 'bearer') return a.kind === b.kind
  return a.name.toLowerCase() === b.name.toLowerCase()
}
