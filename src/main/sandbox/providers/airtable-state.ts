// Airtable's personal access tokens (seed 004): users with bases, and tokens that act as their user within their
// scopes and granted bases (or all of the user's bases). Regenerating gives a new value under the same id, name and
// permissions and kills the old value at once; deleting kills the token.

import { SandboxError } from '../model.ts'
import { lookup, opaqueOfVariableLength, randomId, requireName } from './common.ts'

export const AIRTABLE_SCOPES = [
  'data.records:read',
  'data.records:write',
  'data.recordComments:read',
  'data.recordComments:write',
  'schema.bases:read',
  'schema.bases:write',
  'webhook:manage',
  'block:manage',
  'user.email:read',
  'workspacesAndBases:read',
  'workspacesAndBases:write'
] as const
export type AirtableScope = (typeof AIRTABLE_SCOPES)[number]

export type AirtablePermissionLevel = 'none' | 'read' | 'comment' | 'edit' | 'create'
const PERMISSION_LEVELS: readonly AirtablePermissionLevel[] = ['none', 'read', 'comment', 'edit', 'create']

export interface AirtableBase {
  id: string
  name: string
  permissionLevel: AirtablePermissionLevel
}

export interface AirtableUser {
  id: string
  email: string
  bases: AirtableBase[]
}

/** Every base of the user, present and future, or the listed base ids. */
export type AirtableBaseGrant = 'all' | readonly string[]

export interface AirtableTokenInfo {
  id: string
  name: string
  userId: string
  scopes: AirtableScope[]
  bases: AirtableBaseGrant
  status: 'active' | 'deleted'
  /** How many times the value was regenerated. */
  regenerations: number
}

export interface IssuedAirtableToken {
  id: string
  /** `<id>.<random>`: shown once. The id starts with `pat`; the whole value is of variable length. */
  value: string
}

interface TokenRecord {
  id: string
  name: string
  userId: string
  value: string
  scopes: Set<AirtableScope>
  bases: 'all' | Set<string>
  deleted: boolean
  regenerations: number
}

export class AirtableState {
  private readonly users = new Map<string, AirtableUser>()
  private readonly tokens = new Map<string, TokenRecord>()
  private readonly byValue = new Map<string, TokenRecord>()

  addUser(email: string | undefined, bases: readonly { name: string; permissionLevel?: AirtablePermissionLevel }[]): AirtableUser {
    const id = randomId('usr', 14)
    const user: AirtableUser = { id, email: email ?? `${id.toLowerCase()}@example.test`, bases: [] }
    this.users.set(id, user)
    this.addBases(id, bases)
    return this.userInfo(id)
  }

  addBases(userId: string, bases: readonly { name: string; permissionLevel?: AirtablePermissionLevel }[]): AirtableBase[] {
    const user = lookup(this.users, userId, 'user')
    const added = bases.map((b) => {
      const level = b.permissionLevel ?? 'create'
      if (!PERMISSION_LEVELS.includes(level)) throw new SandboxError(`unknown permission level '${String(level)}'`)
      return { id: randomId('app', 14), name: requireName(b.name, 'a base'), permissionLevel: level }
    })
    user.bases.push(...added)
    return added.map((b) => ({ ...b }))
  }

  userInfo(userId: string): AirtableUser {
    const user = lookup(this.users, userId, 'user')
    return { ...user, bases: user.bases.map((b) => ({ ...b })) }
  }

  createToken(userId: string, name: string, scopes: readonly string[], bases: AirtableBaseGrant): IssuedAirtableToken {
    lookup(this.users, userId, 'user')
    const record: TokenRecord = {
      id: randomId('pat', 14),
      name: requireName(name, 'a token'),
      userId,
      value: '',
      scopes: parseScopes(scopes),
      bases: this.parseGrant(userId, bases),
      deleted: false,
      regenerations: 0
    }
    this.tokens.set(record.id, record)
    this.giveValue(record)
    return { id: record.id, value: record.value }
  }

  setScopes(tokenId: string, scopes: readonly string[]): void {
    this.live(tokenId).scopes = parseScopes(scopes)
  }

  setBases(tokenId: string, bases: AirtableBaseGrant): void {
    const token = this.live(tokenId)
    token.bases = this.parseGrant(token.userId, bases)
  }

  regenerate(tokenId: string): IssuedAirtableToken {
    const token = this.live(tokenId)
    this.byValue.delete(token.value)
    token.regenerations += 1
    this.giveValue(token)
    return { id: token.id, value: token.value }
  }

  delete(tokenId: string): void {
    const token = this.live(tokenId)
    this.byValue.delete(token.value)
    token.deleted = true
  }

  tokenInfo(tokenId: string): AirtableTokenInfo {
    const t = lookup(this.tokens, tokenId, 'token')
    return {
      id: t.id,
      name: t.name,
      userId: t.userId,
      scopes: [...t.scopes],
      bases: t.bases === 'all' ? 'all' : [...t.bases],
      status: t.deleted ? 'deleted' : 'active',
      regenerations: t.regenerations
    }
  }

  /** The token a presented value belongs to, or null (unknown, replaced by a regeneration, or deleted). */
  authenticate(value: string): { user: AirtableUser; scopes: ReadonlySet<AirtableScope>; bases: AirtableBase[] } | null {
    const token = this.byValue.get(value)
    if (token === undefined || token.deleted) return null
    const user = lookup(this.users, token.userId, 'user')
    const grant = token.bases
    const bases = grant === 'all' ? user.bases : user.bases.filter((b) => grant.has(b.id))
    return { user, scopes: token.scopes, bases: bases.map((b) => ({ ...b })) }
  }

  private live(tokenId: string): TokenRecord {
    const token = lookup(this.tokens, tokenId, 'token')
    if (token.deleted) throw new SandboxError(`token '${tokenId}' was deleted`)
    return token
  }

  private giveValue(token: TokenRecord): void {
    // Airtable's values today are `<id>.<64 hex>`; the random part's length varies here so no client leans on it.
    token.value = `${token.id}.${opaqueOfVariableLength(40, 80)}`
    this.byValue.set(token.value, token)
  }

  private parseGrant(userId: string, bases: AirtableBaseGrant): 'all' | Set<string> {
    if (bases === 'all') return 'all'
    const own = new Set(lookup(this.users, userId, 'user').bases.map((b) => b.id))
    for (const id of bases) if (!own.has(id)) throw new SandboxError(`base '${id}' is not one of the user's bases`)
    return new Set(bases)
  }
}

function parseScopes(scopes: readonly string[]): Set<AirtableScope> {
  const parsed = new Set<AirtableScope>()
  for (const scope of scopes) {
    const found = AIRTABLE_SCOPES.find((s) => s === scope)
    if (found === undefined) throw new SandboxError(`unknown Airtable scope '${scope}'`)
    parsed.add(found)
  }
  if (parsed.size === 0) throw new SandboxError('a personal access token needs at least one scope')
  return parsed
}
