// The end of the team-agents chaos run, every member stopped: each member's vault opened from its folder, and per
// credential the stores must agree (the same refresh token, the same state on every member); an active one must hold
// a pair the server still accepts (its newest: a rotation revokes the old access token at once); one marked needs
// re-authorization must be a family whose rotation was committed and never answered (a probe said so, or a member was
// killed with it in flight), judged by the server at most once since. Anything else is a refresh token lost.
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { Vault } from '../../../src/main/core/vault/index.ts'
import { PASSPHRASE } from '../run-settings.ts'
import { secretFingerprint } from '../secret-scan.ts'
import { openVaultIn } from '../vault-files.ts'
import type { AgentsLedger } from './agents-ledger.ts'

export interface FinalStores {
  readonly healthy: number
  /** Committed-unanswered rotations, each marked needs re-authorization on every member. */
  readonly committedUnanswered: number
  readonly lost: number
  /** Credentials whose members' stores disagree (refresh token or state). */
  readonly disagreeing: number
  /** The most judgements of one dead family's token by the server before it was marked. */
  readonly mostVerdictsBeforeMark: number
  /** Credentials some member does not hold at all. */
  readonly missing: number
}

interface Held {
  readonly state: string
  readonly fingerprint: string
  readonly meta: NonNullable<ReturnType<Vault['get']>>
  readonly secrets: { clientSecret: string; accessToken: string; refreshToken: string }
}

export async function checkFinalStores(dirs: readonly string[], ledger: AgentsLedger): Promise<FinalStores> {
  const held = new Map<string, (Held | null)[]>()
  for (const [member, dir] of dirs.entries()) {
    let vault: Vault
    try {
      vault = await openVaultIn(dir, PASSPHRASE)
    } catch (error) {
      ledger.problem(`member ${member}'s vault did not open at the end: ${error instanceof Error ? error.name : 'unknown'}`)
      continue
    }
    try {
      for (const id of ledger.libraries.keys()) {
        const meta = vault.get(id)
        const row = held.get(id) ?? dirs.map(() => null)
        held.set(id, row)
        if (meta === undefined) continue
        const secrets = await vault.secrets(id)
        for (const secret of Object.values(secrets)) ledger.base.secrets.addSecret(secret)
        row[member] = { state: meta.tokenState, fingerprint: secretFingerprint(secrets.refreshToken), meta, secrets }
      }
    } finally {
      await vault.close()
    }
  }
  const api = createApicbaseClient()
  let healthy = 0
  let committedUnanswered = 0
  let lost = 0
  let disagreeing = 0
  let mostVerdicts = 0
  let missing = 0
  try {
    for (const library of ledger.libraries.values()) {
      const row = held.get(library.id) ?? []
      const present = row.filter((h): h is Held => h !== null)
      if (present.length < dirs.length) {
        missing++
        ledger.problem(`${library.id}: held by ${present.length} of ${dirs.length} members at the end`)
      }
      const first = present[0]
      if (first === undefined) continue
      if (present.some((h) => h.fingerprint !== first.fingerprint || h.state !== first.state)) {
        disagreeing++
        ledger.problem(`${library.id}: the members' stores disagree at the end: ${row.map((h, m) => `${m}: ${h === null ? 'none' : `${h.state} ${h.fingerprint.slice(0, 8)}`}`).join(', ')}`)
      }
      const dead = library.answerLost || library.killedInFlight
      if (first.state === 'needs_reauth') {
        if (!dead) {
          lost++
          ledger.problem(`${library.id}: marked needs re-authorization although no rotation of it was committed and left unanswered`)
          continue
        }
        committedUnanswered++
        mostVerdicts = Math.max(mostVerdicts, library.verdictsSinceDead)
        if (library.verdictsSinceDead > 1) ledger.problem(`${library.id}: its dead refresh token was judged ${library.verdictsSinceDead} times before it was marked`)
        continue
      }
      if (first.state !== 'active') {
        ledger.problem(`${library.id}: ${first.state} at the end`)
        continue
      }
      // Every member's stored pair must be the server's newest: its access token still accepted.
      let works = true
      for (const h of present) {
        const answer = await api.introspect(
          { baseUrl: h.meta.apiBaseUrl, libraryName: h.meta.name, rateKey: library.id },
          { clientId: h.meta.clientId, clientSecret: h.secrets.clientSecret },
          h.secrets.accessToken
        )
        if (answer?.active !== true) works = false
      }
      if (works) healthy++
      else {
        lost++
        ledger.problem(`${library.id}: active on every member, but the server no longer accepts a stored pair${library.answerLost ? ' (its rotation was committed and never answered, and it was not marked)' : ''}`)
      }
    }
  } finally {
    await api.close()
  }
  return { healthy, committedUnanswered, lost, disagreeing, mostVerdictsBeforeMark: mostVerdicts, missing }
}
