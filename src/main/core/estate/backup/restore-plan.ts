// What a restore does with each library of a backup, decided WITHOUT sending any refresh token:
//   (a) its refresh token is in this machine's spent ledger: used since the backup → needs re-authorization;
//   (b) this machine holds a newer pair for it → the newer one stays;
//   (c) otherwise one read at the API with the backed-up ACCESS token (access-check.ts): accepted → restored live;
//       refused before its expiry → refreshed since → needs re-authorization; expired (or no answer) → restored
//       PAUSED: nothing is sent until a person says no other machine holds it.
// A move's file taken over on the new machine (`takeOver`) skips the pause: the machine it came from stopped
// refreshing these libraries when it wrote the file. Nothing is ever revoked.
// Two steps, so a restore can refuse before it sends anything: `planLocally` decides all it can from this machine's
// records and lists the hosts that need a person's confirmation (restore-hosts.ts); `decideAtApi` then asks the API
// about the rest, never at a host that was not confirmed (in a plan, such a library says 'confirm_host').
import { isConnection, type LibraryMeta } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'
import type { AccessVerdict } from './access-check.ts'
import type { BackupDocument, BackupLibrary } from './document.ts'
import { confirmHostReason, HostNeeds, libraryHostToConfirm } from './restore-hosts.ts'

/** What happened (or, in a dry run, would happen) to one library of the backup. */
export type RestoreOutcome = 'restored' | 'needs_reauth' | 'paused' | 'kept' | 'unchanged' | 'left_out' | 'confirm_host'

/** How the decision reaches the vault: a new record, one in place of the record here, a mark on it, a hold lifted, or nothing. */
export type RestoreWrite = 'add' | 'replace' | 'mark' | 'resume' | 'none'

export interface LibraryDecision {
  readonly backup: BackupLibrary
  /** The record here it matched (by id, or by client ID for a token bound to one library); null: none. */
  readonly localId: string | null
  readonly outcome: RestoreOutcome
  readonly write: RestoreWrite
  /** How the restored record's token stands (for add/replace). */
  readonly state: LibraryMeta['tokenState']
  /** What decided it: this machine's records, its spent ledger, one read at the API, the token's expiry, its state in the backup, a host not confirmed. */
  readonly decidedBy: 'local' | 'ledger' | 'api' | 'expiry' | 'state' | 'move' | 'host'
  /** Words for a person; never a secret. */
  readonly reason: string
  /** The host (neither Apicbase's nor this computer) what this decision writes sends to later, when it needs confirming. */
  readonly host: string | null
}

/** A library this machine's records cannot decide: one read at the API with its backed-up access token does. */
interface ToCheck {
  readonly library: BackupLibrary
  readonly local: LibraryMeta | undefined
  readonly mayTakeOver: boolean
  readonly host: string | null
}

export interface LocalPlan {
  /** In the backup's order: a decision, or a library to check at the API. */
  readonly items: readonly (LibraryDecision | ToCheck)[]
  /** The hosts the restore sends to that need a person's confirmation, with the libraries that name each. */
  readonly hosts: HostNeeds
}

export interface PlanPorts {
  readonly vault: Pick<Vault, 'get' | 'list' | 'isSpent' | 'secrets'>
  /** The one read at the API (access-check.ts), for a pair this machine cannot judge. */
  readonly check: (library: BackupLibrary) => Promise<{ readonly verdict: AccessVerdict; readonly status: string | null }>
}

export interface PlanOptions {
  /** Take over a move's file: this machine becomes the one that refreshes these libraries. */
  readonly takeOver: boolean
  /** Hosts a person confirmed for this restore (each by name). */
  readonly confirmedHosts: readonly string[]
}

/** How far the reads at the API are: `checked` of `toCheck` libraries answered. */
export type CheckProgress = (checked: number, toCheck: number) => void

const CHUNK = 32

export async function planLocally(document: BackupDocument, vault: PlanPorts['vault'], options: Pick<PlanOptions, 'takeOver'>): Promise<LocalPlan> {
  const byClient = new Map<string, LibraryMeta>()
  for (const meta of vault.list()) if (!isConnection(meta)) byClient.set(clientKey(meta), meta)
  const takeOver = options.takeOver && document.move !== null
  const items: (LibraryDecision | ToCheck)[] = []
  const hosts = new HostNeeds()
  for (let start = 0; start < document.libraries.length; start += CHUNK) {
    const chunk = document.libraries.slice(start, start + CHUNK)
    for (const item of await Promise.all(chunk.map((library) => decideHere(library, vault, byClient, takeOver)))) {
      hosts.add(item.host, isDecision(item) ? item.backup.meta.name : item.library.meta.name)
      items.push(item)
    }
  }
  return { items, hosts }
}

/** The plan's decisions: the libraries left by `planLocally` each checked once at the API, at a confirmed host only. */
export async function decideAtApi(plan: LocalPlan, document: BackupDocument, ports: PlanPorts, confirmedHosts: readonly string[], progress?: CheckProgress): Promise<LibraryDecision[]> {
  const confirmed = new Set(confirmedHosts)
  const waits = (host: string | null): host is string => host !== null && !confirmed.has(host)
  const toCheck = plan.items.filter((item): item is ToCheck => !isDecision(item) && !waits(item.host)).length
  let checked = 0
  progress?.(0, toCheck)
  const decisions: LibraryDecision[] = []
  for (let start = 0; start < plan.items.length; start += CHUNK) {
    const chunk = plan.items.slice(start, start + CHUNK)
    const decided = await Promise.all(
      chunk.map(async (item) => {
        const library = isDecision(item) ? item.backup : item.library
        if (waits(item.host)) return confirmHost(library, isDecision(item) ? item.localId : (item.local?.id ?? null), item.host, !isDecision(item))
        if (isDecision(item)) return item
        const decision = decideByAnswer(item, await ports.check(item.library), document)
        checked += 1
        return decision
      })
    )
    decisions.push(...decided)
    if (chunk.some((item) => !isDecision(item))) progress?.(checked, toCheck)
  }
  return decisions
}

/** Both steps at once, for a plan shown to a person (hosts not confirmed are listed, never asked anything). */
export async function planRestore(document: BackupDocument, ports: PlanPorts, options: PlanOptions): Promise<{ decisions: LibraryDecision[]; hostsToConfirm: string[] }> {
  const local = await planLocally(document, ports.vault, options)
  const decisions = await decideAtApi(local, document, ports, options.confirmedHosts)
  return { decisions, hostsToConfirm: local.hosts.unconfirmed(new Set(options.confirmedHosts)) }
}

function isDecision(item: LibraryDecision | ToCheck): item is LibraryDecision {
  return 'outcome' in item
}

function confirmHost(library: BackupLibrary, localId: string | null, host: string, checksNow: boolean): LibraryDecision {
  const { meta } = library
  return { backup: library, localId, outcome: 'confirm_host', write: 'none', state: meta.tokenState, decidedBy: 'host', reason: confirmHostReason(meta.name, host, checksNow), host }
}

type At = (outcome: RestoreOutcome, write: RestoreWrite, state: LibraryMeta['tokenState'], decidedBy: LibraryDecision['decidedBy'], reason: string) => LibraryDecision

/** Decisions about one library of the backup (matched to `local`, the record here, if any). */
function decider(library: BackupLibrary, local: LibraryMeta | undefined): At {
  return (outcome, write, state, decidedBy, reason) => ({
    backup: library,
    localId: local?.id ?? null,
    outcome,
    write,
    state,
    decidedBy,
    reason,
    // A moved record written here is refreshed once taken back, with no other question: its host is asked now.
    host: state === 'moved' && (write === 'add' || write === 'replace') ? libraryHostToConfirm(library.meta.apiBaseUrl) : null
  })
}

function clientKey(meta: Pick<LibraryMeta, 'clientId' | 'apiBaseUrl'>): string {
  return `${meta.apiBaseUrl}\u0000${meta.clientId}`
}

/** What this machine's records decide (nothing sent), or the library to check at the API. */
async function decideHere(library: BackupLibrary, vault: PlanPorts['vault'], byClient: ReadonlyMap<string, LibraryMeta>, takeOver: boolean): Promise<LibraryDecision | ToCheck> {
  const { meta, secrets } = library
  // A pair paused where the file was written stays a person's decision, moved or not.
  const mayTakeOver = takeOver && meta.tokenState !== 'paused'
  const local = vault.get(meta.id) ?? (isConnection(meta) ? undefined : byClient.get(clientKey(meta)))
  const at = decider(library, local)
  const name = meta.name
  const spent = vault.isSpent(secrets.refreshToken)
  let localToken: string | null = null
  if (local) {
    try {
      localToken = (await vault.secrets(local.id, ['refreshToken'])).refreshToken
    } catch {
      return at('left_out', 'none', local.tokenState, 'local', `${name} is here, but its record was changed outside Larder; nothing was restored over it.`)
    }
  }
  if (local && localToken === secrets.refreshToken) {
    if (local.tokenState === 'moved' && mayTakeOver) return at('restored', 'resume', 'active', 'move', `${name} was marked moved on this machine with this same token pair; it is taken back here and refreshed as usual.`)
    return at('unchanged', 'none', local.tokenState, 'local', `${name} is already here with the same token pair${local.tokenState === 'moved' ? ' (marked moved: take it back to refresh it here)' : ''}.`)
  }
  const localLive = local !== undefined && localToken !== null && !vault.isSpent(localToken) && local.tokenState !== 'needs_reauth' && local.tokenState !== 'revoked'
  // (b) a newer pair here: the backup's was used since, or it was issued before the one held here.
  if (local && localLive && (spent || (local.issuedAt ?? 0) >= (meta.issuedAt ?? 0))) {
    return at('kept', 'none', local.tokenState, spent ? 'ledger' : 'local', `This machine holds a newer token pair for ${name}${spent ? ' (the backup\'s was used since)' : ''}; the newer one is kept.`)
  }
  // A state that sends nothing is restored as it was: no question to ask anyone.
  if (meta.tokenState === 'needs_reauth' || meta.tokenState === 'revoked' || meta.tokenState === 'moved') {
    const words = meta.tokenState === 'needs_reauth' ? 'needing re-authorization' : meta.tokenState
    return at('restored', local ? 'replace' : 'add', meta.tokenState, 'state', `${name} was ${words} when the backup was made; it is restored as it was.`)
  }
  // (a) this machine saw the backed-up refresh token consumed.
  if (spent) {
    return at('needs_reauth', local ? 'mark' : 'add', 'needs_reauth', 'ledger', usedSince(name, 'this machine recorded its refresh token as used after the backup was made'))
  }
  // (c) one read with the backed-up access token, at its host (which then also gets its refreshes).
  return { library, local, mayTakeOver, host: libraryHostToConfirm(meta.apiBaseUrl) }
}

/** (c): what the one read at the API with the backed-up access token says. */
function decideByAnswer(item: ToCheck, answer: { readonly verdict: AccessVerdict; readonly status: string | null }, document: BackupDocument): LibraryDecision {
  const { library, local, mayTakeOver } = item
  const { verdict, status } = answer
  const name = library.meta.name
  const meta = library.meta
  const write: RestoreWrite = local ? 'replace' : 'add'
  const at = decider(library, local)
  const movedFrom = document.move === null ? '' : ` Moved here from ${document.move.from}.`
  switch (verdict) {
    case 'live':
      return at('restored', write, 'active', 'api', `Apicbase accepted the backed-up access token of ${name} (HTTP ${status ?? '200'}): the pair is current. Restored; Larder refreshes it as usual.${movedFrom}`)
    case 'refreshed_since':
      return at('needs_reauth', local ? 'mark' : 'add', 'needs_reauth', 'api', usedSince(name, 'Apicbase refused its backed-up access token before it had expired, so the pair was refreshed after the backup was made (a refresh revokes the old access token)'))
    case 'expired':
      if (mayTakeOver) return at('restored', write, 'active', 'move', `${name} was moved here from ${document.move?.from ?? 'another machine'}, which stopped refreshing it; its access token had expired, so Larder refreshes it now.`)
      return at('paused', write, 'paused', 'expiry', pausedWords(name, `its backed-up access token ${meta.expiresAt === null ? 'has no expiry Larder knows' : 'has expired'}`))
    case 'unknown':
      if (mayTakeOver) return at('restored', write, 'active', 'move', `${name} was moved here from ${document.move?.from ?? 'another machine'}, which stopped refreshing it (Apicbase could not be asked about its token just now${status === null ? '' : `: ${status}`}).`)
      return at('paused', write, 'paused', 'api', pausedWords(name, `Apicbase did not give an answer to go by (${status ?? 'no answer'})`))
  }
}

function usedSince(name: string, why: string): string {
  return `${name}: ${why}. Its refresh token no longer works; Larder did not send it. Ask the owner of ${name} for a new token.`
}

/** The plain explanation of a pause, with the person's action. */
export function pausedWords(name: string, why: string): string {
  return (
    `${name} is restored paused: ${why}, and only sending its refresh token could tell whether another machine refreshed it since. ` +
    `Larder sends nothing for it until you choose "Refresh it now: no other machine holds it". Choose that only if no other machine (or ` +
    `copy of Larder) still holds this library: if one does, the token was used there and sending it again may make Apicbase revoke the whole token family.`
  )
}
