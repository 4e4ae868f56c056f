// Everything a person (or a script) does with a key of a system kept as given: add it (checked first where its system
// can be), check it, say it was used elsewhere, paste a regenerated value, record what its admin did, take its token
// for a copy or a hand-out (never once it is revoked, expired, inactive or refused), remove it. Every change is durable
// in the vault before it is announced, and audited without the token.
import { randomUUID } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { ApiError, InputError } from '../errors.ts'
import { tokenPreview } from '../model.ts'
import { checkedCustomerLabel } from '../customer-label.ts'
import { listBases, type BasesAnswer } from '../systems/airtable/bases.ts'
import { requireTrustedKeyHost } from '../systems/hosts.ts'
import { keySystemOf as systemOf, type KeyDetails, type KeySystemId } from '../systems/registry.ts'
import type { CheckOutcome, KeySystem } from '../systems/system.ts'
import type { Clock } from '../time/clock.ts'
import type { KeyPatch, Vault } from '../vault/index.ts'
import { withHistory, type KeyCheck, type KeyMeta, type KeyState } from './key-model.ts'
import { deriveKeyStatus, keyUsable, type KeyStatus } from './key-status.ts'

/** What the service needs of the vault's table of keys (the vault's own methods). */
export type KeyVault = Pick<Vault, 'keys' | 'key' | 'keyRefusal' | 'addKey' | 'patchKey' | 'replaceKeyToken' | 'removeKey' | 'keySecret'>

type KeyAuditAction = 'added' | 'copied' | 'handed_out' | 'removed' | 'revoked' | 'restored' | 'failed' | 'settings_changed'

export interface KeyAudit {
  append(entry: { action: KeyAuditAction; libraryId: string; libraryName: string; outcome: 'ok' | 'error'; detail?: string }): Promise<unknown>
}

export interface KeyServiceOptions {
  readonly vault: KeyVault
  readonly clock: Clock
  readonly dispatcher: Dispatcher
  readonly audit: KeyAudit
  readonly newId?: () => string
}

export interface NewKey {
  readonly system: KeySystemId
  readonly name: string
  readonly customer?: string | null
  readonly notes?: string
  readonly token: string
  readonly details: unknown
  /** The host the person confirmed they trust with the token, when it is not the system's own (systems/hosts.ts). */
  readonly confirmedHost?: string
}

const MAX_TOKEN_LENGTH = 16_384
/** Details whose change moves where or how a key's check goes: such a change is checked before it is saved. */
const CHECK_FIELDS = new Set(['apiBaseUrl', 'checkUrl', 'carry'])

/** What a person may change of a key (`details`: the fields to change, merged over the key's). */
export interface KeyChange {
  readonly name?: string
  readonly customer?: string
  readonly notes?: string
  readonly details?: Readonly<Record<string, unknown>>
  /** The host the person confirmed, when the change moves the token's address to a host that is not trusted. */
  readonly confirmedHost?: string
}

/** Every write goes through the vault, which announces it (ObservedVault: 'key.changed', 'key.removed' on the core). */
export class KeyService {
  readonly #options: KeyServiceOptions
  readonly #newId: () => string

  constructor(options: KeyServiceOptions) {
    this.#options = options
    this.#newId = options.newId ?? randomUUID
  }

  status(meta: KeyMeta): KeyStatus {
    return deriveKeyStatus(meta, this.#options.clock.now())
  }

  /**
   * Adds a key. Where its system can check, the token is checked first: refused, nothing is saved and the error says
   * the likely causes; a check that could not be made saves it with that said (a person may add keys offline).
   */
  async add(input: NewKey): Promise<KeyMeta> {
    const system = systemOf(input.system)
    const details = system.parseDetails(input.details)
    const name = label('name', input.name, 200, true)
    const customer = checkedCustomerLabel('customer', input.customer)
    const notes = input.notes === undefined ? '' : label('notes', input.notes, 2_000, false)
    const token = checkToken(input.token)
    // Nothing is sent or stored for a host that is not the system's own until the person confirms it by name.
    requireTrustedKeyHost(system, details, input.confirmedHost)
    const now = this.#options.clock.now()
    const outcome = await this.#run(system, details, token, name)
    if (outcome?.outcome === 'refused') throw new InputError('token', outcome.causes)
    // The system and its details go together (parsed by that system just above); TS cannot follow that through `input.system`.
    const meta = {
      id: this.#newId(),
      system: input.system,
      name,
      customer,
      notes,
      details,
      state: 'active',
      addedAt: now,
      lastUsedAt: outcome?.outcome === 'ok' ? now : null,
      lastCheck: outcome === null || outcome.outcome === 'rate_limited' ? null : checkOf(outcome, now),
      history: [{ at: now, event: 'added' }],
      tokenPreview: tokenPreview(token)
    } as KeyMeta
    await this.#options.vault.addKey(meta, { token })
    this.#record('added', meta, 'ok', `${system.label} key`)
    return meta
  }

  /** Checks the key now (a person asked, or keep-alive); a check that worked is a use. */
  async check(id: string): Promise<KeyMeta> {
    const meta = this.#require(id)
    const system = systemOf(meta.system)
    const { token } = await this.#options.vault.keySecret(id)
    const outcome = await this.#run(system, meta.details, token, meta.name)
    if (outcome === null) throw new InputError('id', `${meta.name} has no check Larder can make: give it a check address first.`)
    if (outcome.outcome === 'rate_limited') {
      throw new InputError('id', `${system.label} asks to wait: try again after ${new Date(outcome.retryAt).toISOString()}.`)
    }
    const now = this.#options.clock.now()
    const patch = { lastCheck: checkOf(outcome, now), ...(outcome.outcome === 'ok' ? { lastUsedAt: now } : {}) }
    return this.#save(id, patch, outcome.outcome === 'ok' ? null : ['failed', 'error', outcome.outcome === 'refused' ? outcome.causes : `check: ${outcome.outcome}`])
  }

  /** A person says the key was used outside Larder at `at` (default now): its inactivity counts from there. */
  async markUsedElsewhere(id: string, at?: number): Promise<KeyMeta> {
    const meta = this.#require(id)
    const now = this.#options.clock.now()
    const when = at ?? now
    if (!Number.isFinite(when) || when > now || when < meta.addedAt) throw new InputError('at', 'The use must be between when the key was added and now.')
    return this.#save(id, { lastUsedAt: Math.max(meta.lastUsedAt ?? 0, when), history: withHistory(meta.history, { at: when, event: 'used_elsewhere' }) })
  }

  /** The value regenerated at the system, pasted into the same key: name, notes and history stay; the old value is gone. */
  async regenerate(id: string, newToken: string): Promise<KeyMeta> {
    const meta = this.#require(id)
    const system = systemOf(meta.system)
    if (!system.actions.includes('regenerate')) throw new InputError('id', `${system.label} keys are not regenerated in place; add the new one.`)
    const token = checkToken(newToken)
    const outcome = await this.#run(system, meta.details, token, meta.name)
    if (outcome?.outcome === 'refused') throw new InputError('token', outcome.causes)
    const now = this.#options.clock.now()
    // The vault seals the new value, records the old one spent (pasting it again is refused) and notes 'regenerated'.
    await this.#options.vault.replaceKeyToken(id, token)
    const lastCheck = outcome === null || outcome.outcome === 'rate_limited' ? null : checkOf(outcome, now)
    const next = await this.#save(id, { state: 'active', lastCheck, ...(outcome?.outcome === 'ok' ? { lastUsedAt: now } : {}) })
    this.#record('settings_changed', next, 'ok', 'a regenerated value replaced the token')
    return next
  }

  /** What the admin did, with its date: revoked, restored (only a revoked one), deleted (only a revoked or expired one). */
  async recordLifecycle(id: string, event: 'revoked' | 'restored' | 'deleted' | 'expired'): Promise<KeyMeta> {
    const meta = this.#require(id)
    const system = systemOf(meta.system)
    const action = event === 'restored' ? 'restore' : event === 'deleted' ? 'delete' : 'revoke'
    if (event !== 'expired' && !system.actions.includes(action)) throw new InputError('event', `${system.label} keys have no ${event} state in Larder.`)
    const allowed: Record<typeof event, readonly KeyState[]> = { revoked: ['active'], restored: ['revoked'], deleted: ['revoked', 'expired'], expired: ['active'] }
    if (!allowed[event].includes(meta.state)) throw new InputError('event', `${meta.name} is ${meta.state}: it cannot be ${event}.`)
    const state: KeyState = event === 'restored' ? 'active' : event
    const history = withHistory(meta.history, { at: this.#options.clock.now(), event })
    return this.#save(id, { state, history }, [event === 'restored' ? 'restored' : 'revoked', 'ok', `recorded: ${event} by its admin`])
  }

  /**
   * The token for a copy or a hand-out, once the key may be used (never revoked, expired, inactive or refused); the
   * use is recorded (it keeps a SafetyCulture token alive, as the real use will).
   */
  async takeToken(id: string, purpose: 'copied' | 'handed_out', detail: string): Promise<string> {
    const meta = this.#require(id)
    const status = this.status(meta)
    if (!keyUsable(status)) {
      this.#record(purpose, meta, 'error', `${detail}: refused, the key is ${status.replace('_', ' ')}`)
      // As for an Apicbase pair only its owner can replace: `larder` exits 5 (needs re-authorization).
      throw new ApiError('invalid_grant', `${meta.name} is ${status.replace('_', ' ')}: Larder does not hand out a key that no longer works.`)
    }
    const { token } = await this.#options.vault.keySecret(id)
    await this.#save(id, { lastUsedAt: this.#options.clock.now() })
    this.#record(purpose, meta, 'ok', detail)
    return token
  }

  /**
   * Changes what a person says of a key: its name, customer label, notes, and its details (keep-alive, an expiry
   * date, the carry, a check URL, the variable name), merged over the ones it has and checked by its system. A change
   * to where or how the check goes is checked at once: refused, nothing is saved.
   */
  async update(id: string, change: KeyChange): Promise<KeyMeta> {
    const meta = this.#require(id)
    const system = systemOf(meta.system)
    const patch: { -readonly [K in keyof KeyPatch]: KeyPatch[K] } = {}
    const changed: string[] = []
    const name = change.name === undefined ? meta.name : label('name', change.name, 200, true)
    const customer = change.customer === undefined ? meta.customer : checkedCustomerLabel('customer', change.customer)
    const notes = change.notes === undefined ? meta.notes : label('notes', change.notes, 2_000, false)
    if (name !== meta.name) patch.name = name
    if (customer !== meta.customer) patch.customer = customer
    if (notes !== meta.notes) patch.notes = notes
    changed.push(...Object.keys(patch))
    const now = this.#options.clock.now()
    let history = meta.history
    if (change.details !== undefined) {
      const details = system.parseDetails({ ...(meta.details as object), ...withoutUndefined(change.details) })
      // A new address for the token is confirmed as on add; the one it has was confirmed (or trusted) when it was set.
      if (system.sendsTo(details) !== system.sendsTo(meta.details)) requireTrustedKeyHost(system, details, change.confirmedHost)
      const differs = (key: string): boolean => JSON.stringify((details as Record<string, unknown>)[key]) !== JSON.stringify((meta.details as Record<string, unknown>)[key])
      const fields = Object.keys(details as object).filter(differs)
      if (fields.length > 0) {
        patch.details = details
        changed.push(...fields.map((field) => `details.${field}`))
        if (fields.includes('expiresAt')) history = withHistory(history, { at: now, event: 'expiry_changed' })
        if (fields.some((field) => field !== 'expiresAt')) history = withHistory(history, { at: now, event: 'details_changed' })
        patch.history = history
        if (fields.some((field) => CHECK_FIELDS.has(field))) {
          const { token } = await this.#options.vault.keySecret(id)
          const outcome = await this.#run(system, details, token, meta.name)
          if (outcome?.outcome === 'refused') throw new InputError('details', outcome.causes)
          if (outcome !== null && outcome.outcome !== 'rate_limited') patch.lastCheck = checkOf(outcome, now)
          if (outcome?.outcome === 'ok') patch.lastUsedAt = now
        }
      }
    }
    if (changed.length === 0) return meta
    return this.#save(id, patch, ['settings_changed', 'ok', `changed: ${changed.join(', ')}`])
  }

  /**
   * Runs `use` with the key's token once the key may be used (as takeToken), and records the use and audits it only
   * after `use` did its part (a copy that never reached the clipboard is not a copy); a failure is audited as one.
   */
  async useToken<T>(id: string, purpose: 'copied' | 'handed_out', detail: string, use: (token: string) => Promise<T>): Promise<T> {
    const meta = this.#require(id)
    const status = this.status(meta)
    if (!keyUsable(status)) {
      this.#record(purpose, meta, 'error', `${detail}: refused, the key is ${status.replace('_', ' ')}`)
      throw new ApiError('invalid_grant', `${meta.name} is ${status.replace('_', ' ')}: Larder does not hand out a key that no longer works.`)
    }
    let result: T
    try {
      const { token } = await this.#options.vault.keySecret(id)
      result = await use(token)
    } catch (error) {
      this.#record(purpose, meta, 'error', `${detail}: failed`)
      throw error
    }
    await this.#save(id, { lastUsedAt: this.#options.clock.now() })
    this.#record(purpose, meta, 'ok', detail)
    return result
  }

  /** The bases an Airtable key reaches (schema.bases:read); other systems have none. */
  async bases(id: string): Promise<BasesAnswer> {
    const meta = this.#require(id)
    if (meta.system !== 'airtable') throw new InputError('id', `${meta.name} is a ${systemOf(meta.system).label} key: only Airtable keys list bases.`)
    const { token } = await this.#options.vault.keySecret(id)
    return listBases({ details: meta.details, token, name: meta.name, dispatcher: this.#options.dispatcher, now: () => this.#options.clock.now() })
  }

  async remove(id: string, confirmName: string): Promise<void> {
    const meta = this.#require(id)
    if (confirmName.trim() !== meta.name) throw new InputError('confirmName', `Type the key's name, ${meta.name}, to remove it.`)
    await this.#options.vault.removeKey(id)
    this.#record('removed', meta, 'ok', 'removed from Larder (still valid at its system until revoked there)')
  }

  async #run(system: KeySystem<KeyDetails>, details: KeyDetails, token: string, name: string): Promise<CheckOutcome | null> {
    const check = system.checkWith(details)
    if (check === null) return null
    return check({ details, token, name, dispatcher: this.#options.dispatcher, now: () => this.#options.clock.now() })
  }

  #require(id: string): KeyMeta {
    const meta = this.#options.vault.key(id)
    if (meta === undefined) throw new InputError('id', 'No such key in Larder.')
    return meta
  }

  async #save(id: string, patch: KeyPatch, audit: [KeyAuditAction, 'ok' | 'error', string] | null = null): Promise<KeyMeta> {
    await this.#options.vault.patchKey(id, patch)
    const meta = this.#require(id)
    if (audit !== null) this.#record(audit[0], meta, audit[1], audit[2])
    return meta
  }

  #record(action: KeyAuditAction, meta: KeyMeta, outcome: 'ok' | 'error', detail: string): void {
    this.#options.audit.append({ action, libraryId: meta.id, libraryName: meta.name, outcome, detail }).catch(() => undefined)
  }
}

function checkOf(outcome: Exclude<CheckOutcome, { outcome: 'rate_limited' }>, at: number): KeyCheck {
  switch (outcome.outcome) {
    case 'ok':
      return { at, outcome: 'ok', identity: outcome.identity, message: null }
    case 'refused':
      return { at, outcome: 'refused', identity: null, message: outcome.causes }
    case 'forbidden':
    case 'unreachable':
      return { at, outcome: outcome.outcome, identity: null, message: outcome.message }
  }
}

/** A token as pasted: trimmed; not empty, no whitespace inside, not absurdly long. Its format is the system's own. Also the bulk import's dry run. */
export function checkToken(raw: string): string {
  const token = raw.trim()
  if (token === '') throw new InputError('token', 'Paste the token.')
  if (/\s/.test(token)) throw new InputError('token', 'The token has a space or line break inside: paste it again, whole.')
  if (token.length > MAX_TOKEN_LENGTH) throw new InputError('token', `The token is longer than ${MAX_TOKEN_LENGTH} characters: that is not one token.`)
  return token
}

/** A key's name, customer label or notes as add takes them (also the bulk import's dry run). */
export function label(field: string, raw: string, max: number, required: boolean): string {
  const text = raw.trim()
  if (required && text === '') throw new InputError(field, `Give the key a ${field}.`)
  if (text.length > max) throw new InputError(field, `The ${field} is longer than ${max} characters.`)
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) throw new InputError(field, `The ${field} has control characters.`)
  return text
}

function withoutUndefined(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined))
}
