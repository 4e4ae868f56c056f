// What a restore does with each library of a backup, decided WITHOUT sending any refresh token:
//   (a) its refresh token is in this machine's spent ledger: used since the backup → needs re-authorization;
//   (b) this machine holds a newer pair for it → the newer one stays;
//   (c) otherwise one read at the API with the backed-up ACCESS token (access-check.ts): accepted → restored live;
//       refused before its expiry → refreshed since → needs re-authorization; expired (or no answer) → restored
//       PAUSED: nothing is sent until a person says no other machine holds it.
// A move's file taken over on the new machine (`takeOver`) skips the pause: the machine it came from stopped
// refreshing these libraries when it wrote the file. Nothing is ever revoked.
import { isConnection, type LibraryMeta } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'
import type { AccessVerdict } from './access-check.ts'
import type { BackupDocument, BackupLibrary } from './document.ts'

/** What happened (or, in a dry run, would happen) to one library of the backup. */
export type RestoreOutcome = 'restored' | 'needs_reauth' | 'paused' | 'kept' | 'unchanged' | 'left_out'

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
  /** What decided it: this machine's records, its spent ledger, one read at the API, the token's expiry, its state in the backup. */
  readonly decidedBy: 'local' | 'ledger' | 'api' | 'expiry' | 'state' | 'move'
  /** Words for a person; never a secret. */
  readonly reason: string
}

export interface PlanPorts {
  readonly vault: Pick<Vault, 'get' | 'list' | 'isSpent' | 'secrets'>
  readonly now: number
  /** The one read at the API (access-check.ts), for a pair this machine cannot judge. */
  readonly check: (library: BackupLibrary) => Promise<{ readonly verdict: AccessVerdict; readonly status: string | null }>
}

export interface PlanOptions {
  /** Take over a move's file: this machine becomes the one that refreshes these libraries. */
  readonly takeOver: boolean
}

const CHUNK = 32

export async function planRestore(document: BackupDocument, ports: PlanPorts, options: PlanOptions): Promise<LibraryDecision[]> {
  const byClient = new Map<string, LibraryMeta>()
  for (const meta of ports.vault.list()) if (!isConnection(meta)) byClient.set(clientKey(meta), meta)
  const takeOver = options.takeOver && document.move !== null
  const decisions: LibraryDecision[] = []
  for (let start = 0; start < document.libraries.length; start += CHUNK) {
    const chunk = document.libraries.slice(start, start + CHUNK)
    decisions.push(...(await Promise.all(chunk.map((library) => decide(library, ports, byClient, takeOver, document)))))
  }
  return decisions
}

function clientKey(meta: Pick<LibraryMeta, 'clientId' | 'apiBaseUrl'>): string {
  return `${meta.apiBaseUrl}\u0000${meta.clientId}`
}

async function decide(library: BackupLibrary, ports: PlanPorts, byClient: ReadonlyMap<string, LibraryMeta>, takeOver: boolean, document: BackupDocument): Promise<LibraryDecision> {
  const { meta, secrets } = library
  // A pair paused where the file was written stays a person's decision, moved or not.
  const mayTakeOver = takeOver && meta.tokenState !== 'paused'
  const local = ports.vault.get(meta.id) ?? (isConnection(meta) ? undefined : byClient.get(clientKey(meta)))
  const at = (outcome: RestoreOutcome, write: RestoreWrite, state: LibraryMeta['tokenState'], decidedBy: LibraryDecision['decidedBy'], reason: string): LibraryDecision => ({
    backup: library,
    localId: local?.id ?? null,
    outcome,
    write,
    state,
    decidedBy,
    reason
  })
  const name = meta.name
  const spent = ports.vault.isSpent(secrets.refreshToken)
  let localToken: string | null = null
  if (local) {
    try {
      localToken = (await ports.vault.secrets(local.id, ['refreshToken'])).refreshToken
    } catch {
      return at('left_out', 'none', local.tokenState, 'local', `${name} is here, but its record was changed outside Larder; nothing was restored over it.`)
    }
  }
  if (local && localToken === secrets.refreshToken) {
    if (local.tokenState === 'moved' && mayTakeOver) return at('restored', 'resume', 'active', 'move', `${name} was marked moved on this machine with this same token pair; it is taken back here and refreshed as usual.`)
    return at('unchanged', 'none', local.tokenState, 'local', `${name} is already here with the same token pair${local.tokenState === 'moved' ? ' (marked moved: take it back to refresh it here)' : ''}.`)
  }
  const localLive = local !== undefined && localToken !== null && !ports.vault.isSpent(localToken) && local.tokenState !== 'needs_reauth' && local.tokenState !== 'revoked'
  // (b) a newer pair here: the backup's was used since, or it was issued before the one held here.
  if (local && localLive && (spent || (local.issuedAt ?? 0) >= (meta.issuedAt ?? 0))) {
    return at('kept', 'none', local.tokenState, spent ? 'ledger' : 'local', `This machine holds a newer token pair for ${name}${spent ? ' (the backup\'s was used since)' : ''}; the newer one is kept.`)
  }
  // A state that sends nothing is restored as it was: no question to ask anyone.
  if (meta.tokenState === 'needs_reauth' || meta.tokenState === 'revoked' || meta.tokenState === 'moved') {
    const words = meta.tokenState === 'needs_reauth' ? 'needing re-authorization' : meta.tokenState
    return at('restored', local ? 'replace' : 'add', meta.tokenState, 'state', `${name} was ${words} when the backup was made; it is restored as it was.`)
  }
  const write: RestoreWrite = local ? 'replace' : 'add'
  // (a) this machine saw the backed-up refresh token consumed.
  if (spent) {
    return at('needs_reauth', local ? 'mark' : 'add', 'needs_reauth', 'ledger', usedSince(name, 'this machine recorded its refresh token as used after the backup was made'))
  }
  // (c) one read with the backed-up access token.
  const { verdict, status } = await ports.check(library)
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
