// Restoring a backup into the open vault: the plan (restore-plan.ts) carried out record by record, the libraries that
// use a restored personal token, the keys of other systems, and the settings of a vault that held nothing yet. Each
// library is audited with what happened to it (never a secret); a record that cannot be written is left out and named,
// and never stops the others. With `dryRun` nothing is written: the report says what a restore would do. A host that is
// neither Apicbase's nor this computer (restore-hosts.ts) must be confirmed first: without it a restore is refused
// before anything is sent or written, and a plan lists it and asks it nothing.
import { SETTING_RANGES } from '../../../../shared/setting-ranges.ts'
import type { AuditInput } from '../../audit/index.ts'
import { InputError } from '../../errors.ts'
import type { KeyMeta } from '../../keys/key-model.ts'
import { isConnection, type LibraryMeta, type PersonalEntryMeta } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'
import type { BackupDocument, BackupKey } from './document.ts'
import { confirmHostReason, keyHostToConfirm, libraryHostToConfirm } from './restore-hosts.ts'
import { decideAtApi, planLocally, type CheckProgress, type LibraryDecision, type PlanPorts, type RestoreOutcome } from './restore-plan.ts'

export interface RestorePorts {
  readonly vault: Vault
  readonly now: () => number
  readonly check: PlanPorts['check']
  /** Plans the library's refreshes (the engine's `track`) and watches a personal token. */
  readonly track: (id: string) => void
  readonly audit: (entry: AuditInput) => void
}

export interface RestoreOptions {
  readonly dryRun: boolean
  /** Take over a move's file (core/estate/move): this machine refreshes its libraries from now on. */
  readonly takeOver: boolean
  /** The file's name, for the audit trail. */
  readonly file: string
  /** Hosts a person confirmed for this restore (restore-hosts.ts); a restore needing another is refused. */
  readonly confirmedHosts: readonly string[]
  /** How far it is: the reads at the API, then the records written (a long restore says so while it runs). */
  readonly progress?: (progress: RestoreProgress) => void
}

export type RestoreProgress = { readonly step: 'checking' | 'writing'; readonly done: number; readonly total: number }

export interface LibraryResult {
  readonly id: string
  readonly name: string
  readonly apicbaseLibraryId: string | null
  readonly outcome: RestoreOutcome
  /** Whether Larder read the API with the backed-up access token to decide. */
  readonly checkedAtApi: boolean
  readonly reason: string
}

export type KeyOutcome = 'restored' | 'kept' | 'replaced_since' | 'left_out' | 'confirm_host'

export interface KeyResult {
  readonly id: string
  readonly name: string
  readonly system: KeyMeta['system']
  readonly outcome: KeyOutcome
  readonly reason: string
}

export interface RestoreReport {
  readonly dryRun: boolean
  readonly createdAt: number
  readonly machine: string
  readonly move: BackupDocument['move']
  readonly libraries: readonly LibraryResult[]
  readonly keys: readonly KeyResult[]
  /** Settings are taken only into a vault that held nothing yet (a new machine); otherwise this one's stay. */
  readonly settings: 'restored' | 'kept'
  /** Hosts it sends to (now or later) that no confirmation named: a restore needs each confirmed. */
  readonly hostsToConfirm: readonly string[]
  readonly counts: Readonly<Record<RestoreOutcome, number>>
}

const APPLY_CHUNK = 256

export async function restoreBackup(document: BackupDocument, ports: RestorePorts, options: RestoreOptions): Promise<RestoreReport> {
  const { vault } = ports
  const wasEmpty = vault.list().length === 0 && vault.keys().length === 0
  const plan = await planLocally(document, vault, { takeOver: options.takeOver })
  for (const { meta, token } of document.keys) if (keyIsRestored(meta.id, token, vault)) plan.hosts.add(keyHostToConfirm(meta), meta.name)
  const defaultUrl = document.settings['defaultApiBaseUrl']
  if (wasEmpty && typeof defaultUrl === 'string') plan.hosts.add(libraryHostToConfirm(defaultUrl), 'the default API address in Settings')
  const confirmed = new Set(options.confirmedHosts)
  // Refused here, before one read at the API or one record written.
  if (!options.dryRun) plan.hosts.require(confirmed)
  const checking: CheckProgress | undefined = options.progress && ((done, total) => options.progress?.({ step: 'checking', done, total }))
  const decisions = await decideAtApi(plan, document, { vault, check: ports.check }, options.confirmedHosts, checking)
  const libraries: LibraryResult[] = []
  /** Backup id → the id it has here (a record matched by client ID keeps the id it has here). */
  const placed = new Map<string, string>()
  // Written a chunk at a time, so the vault's group commit makes one durable write of many records (10,000 one by one
  // would wait for 10,000 fsyncs).
  for (let start = 0; start < decisions.length; start += APPLY_CHUNK) {
    const chunk = decisions.slice(start, start + APPLY_CHUNK)
    const results = options.dryRun ? chunk.map((d) => resultOf(d, d.outcome, d.reason)) : await Promise.all(chunk.map((d) => apply(d, ports, options, document)))
    results.forEach((result, index) => {
      const decision = chunk[index] as LibraryDecision
      if (result.outcome !== 'left_out') placed.set(decision.backup.meta.id, decision.localId ?? decision.backup.meta.id)
      libraries.push(result)
    })
    if (!options.dryRun) options.progress?.({ step: 'writing', done: libraries.length, total: decisions.length })
  }
  if (!options.dryRun) await restoreEntries(document.entries, placed, vault, ports)
  const keys = await restoreKeys(document.keys, ports, options, confirmed)
  const settings = wasEmpty && !options.dryRun ? await restoreSettings(document.settings, vault) : wasEmpty ? 'restored' : 'kept'
  const counts = { restored: 0, needs_reauth: 0, paused: 0, kept: 0, unchanged: 0, left_out: 0, confirm_host: 0 }
  for (const result of libraries) counts[result.outcome] += 1
  if (!options.dryRun) {
    const summary = Object.entries(counts).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${outcome.replace('_', ' ')}`).join(', ')
    ports.audit({
      action: 'restored',
      libraryId: null,
      libraryName: null,
      outcome: 'ok',
      detail: `${document.move === null ? 'Backup' : 'Move'} file ${options.file} (made ${new Date(document.createdAt).toISOString()} on ${document.source.machine}) restored: ${summary || 'no libraries'}; ${keys.length} keys`
    })
  }
  const hostsToConfirm = plan.hosts.unconfirmed(confirmed)
  return { dryRun: options.dryRun, createdAt: document.createdAt, machine: document.source.machine, move: document.move, libraries, keys, settings, hostsToConfirm, counts }
}

function resultOf(decision: LibraryDecision, outcome: RestoreOutcome, reason: string): LibraryResult {
  const { meta } = decision.backup
  return { id: decision.localId ?? meta.id, name: meta.name, apicbaseLibraryId: meta.apicbaseLibraryId, outcome, checkedAtApi: decision.decidedBy === 'api', reason }
}

/** The record as it goes in: the backup's, under the id it has here, in the decided state. */
function restoredMeta(decision: LibraryDecision, now: number): LibraryMeta {
  const { hold, ...meta } = decision.backup.meta
  const base = { ...meta, id: decision.localId ?? meta.id }
  switch (decision.state) {
    case 'active':
      return { ...base, tokenState: 'active', lastError: null }
    case 'needs_reauth':
      return { ...base, tokenState: 'needs_reauth', lastError: decision.backup.meta.tokenState === 'needs_reauth' ? meta.lastError : { kind: 'invalid_grant', message: decision.reason, at: now } }
    case 'paused':
      return { ...base, tokenState: 'paused', lastError: null, hold: { kind: 'paused', at: now, message: decision.reason, to: null, was: 'active' } }
    default:
      // revoked, moved: as the backup had it (a moved record with its hold).
      return { ...base, tokenState: decision.state, ...(hold === undefined ? {} : { hold }) }
  }
}

async function apply(decision: LibraryDecision, ports: RestorePorts, options: RestoreOptions, document: BackupDocument): Promise<LibraryResult> {
  const { vault } = ports
  const now = ports.now()
  const { meta, secrets } = decision.backup
  const id = decision.localId ?? meta.id
  try {
    switch (decision.write) {
      case 'add':
      case 'replace':
        await vault.restoreLibrary(restoredMeta(decision, now), secrets, { replace: decision.write === 'replace' })
        break
      case 'mark':
        await vault.patch(id, { tokenState: 'needs_reauth', lastError: { kind: 'invalid_grant', message: decision.reason, at: now } })
        break
      case 'resume':
        await vault.setHold(id, null)
        break
      case 'none':
        break
    }
  } catch (error) {
    const reason = `${meta.name} could not be restored: ${error instanceof InputError ? error.message : 'the vault refused the record'}. Nothing else changed for it.`
    ports.audit({ action: 'restored', libraryId: id, libraryName: meta.name, outcome: 'error', detail: reason })
    return resultOf(decision, 'left_out', reason)
  }
  if (decision.write !== 'none') ports.track(id)
  const moved = document.move === null || decision.outcome !== 'restored' ? '' : ` (moved here from ${document.move.from}, file ${options.file})`
  if (decision.outcome !== 'unchanged') {
    ports.audit({ action: 'restored', libraryId: id, libraryName: meta.name, outcome: decision.outcome === 'needs_reauth' || decision.outcome === 'left_out' ? 'error' : 'ok', detail: `${decision.outcome.replace('_', ' ')}: ${decision.reason}${moved}`.slice(0, 1000) })
  }
  return resultOf(decision, decision.outcome, decision.reason)
}

/** The libraries reached through a restored (or kept) personal token that this machine lacks, in one write. */
async function restoreEntries(entries: readonly PersonalEntryMeta[], placed: ReadonlyMap<string, string>, vault: Vault, ports: RestorePorts): Promise<void> {
  const missing: PersonalEntryMeta[] = []
  for (const entry of entries) {
    const connectionId = placed.get(entry.connectionId)
    const connection = connectionId === undefined ? undefined : vault.get(connectionId)
    if (connection === undefined || !isConnection(connection) || vault.entry(entry.id) !== undefined || vault.get(entry.id) !== undefined) continue
    missing.push({ ...entry, connectionId: connection.id })
  }
  if (missing.length === 0) return
  try {
    await vault.addEntries(missing)
  } catch (error) {
    ports.audit({ action: 'restored', libraryId: null, libraryName: null, outcome: 'error', detail: `The libraries reached through personal tokens were not restored: ${error instanceof InputError ? error.message : 'the vault refused them'}` })
  }
}

/** A key of the backup that a restore writes: not here already, and its token not recorded as replaced since. */
function keyIsRestored(id: string, token: string, vault: Vault): boolean {
  return vault.key(id) === undefined && !vault.isSpent(token)
}

/**
 * Keys are kept as given and never rotate: restored as they were, unless Larder recorded the token as replaced since.
 * A restore sends nothing for them; Larder's daily check does afterwards, hence their host's confirmation.
 */
async function restoreKeys(keys: readonly BackupKey[], ports: RestorePorts, options: RestoreOptions, confirmed: ReadonlySet<string>): Promise<KeyResult[]> {
  const results: KeyResult[] = []
  for (const { meta, token } of keys) {
    const result = (outcome: KeyOutcome, reason: string): KeyResult => ({ id: meta.id, name: meta.name, system: meta.system, outcome, reason })
    const host = keyHostToConfirm(meta)
    if (ports.vault.key(meta.id) !== undefined) {
      results.push(result('kept', `${meta.name} is already here; the key this machine holds is kept.`))
    } else if (ports.vault.isSpent(token)) {
      results.push(result('replaced_since', `${meta.name}'s token was replaced by a regenerated one after the backup was made; the old one is not restored.`))
    } else if (host !== null && !confirmed.has(host)) {
      results.push(result('confirm_host', confirmHostReason(meta.name, host, false)))
    } else if (options.dryRun) {
      results.push(result('restored', `${meta.name} is restored as it was.`))
    } else {
      try {
        await ports.vault.addKey(meta, { token })
        results.push(result('restored', `${meta.name} is restored as it was.`))
        ports.audit({ action: 'restored', libraryId: meta.id, libraryName: meta.name, outcome: 'ok', detail: `key restored from ${options.file}` })
      } catch (error) {
        results.push(result('left_out', `${meta.name} could not be restored: ${error instanceof InputError ? error.message : 'the vault refused it'}.`))
      }
    }
  }
  return results
}

/** The settings that matter on another machine (thresholds, notifications, the default API address, the lock's). */
async function restoreSettings(settings: Readonly<Record<string, unknown>>, vault: Vault): Promise<'restored' | 'kept'> {
  const wanted = [...Object.keys(SETTING_RANGES), 'notifications', 'defaultApiBaseUrl', 'lock']
  const patch = Object.fromEntries(Object.entries(settings).filter(([key]) => wanted.includes(key)))
  try {
    await vault.updateSettings(patch)
    return 'restored'
  } catch {
    return 'kept' // a setting this Larder does not read: the vault's own stay
  }
}
