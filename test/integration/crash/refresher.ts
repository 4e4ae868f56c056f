// The process the crash test kills. It opens the vault the test prepared, then refreshes every library over
// and over through a real RefreshEngine, on the real clock and the real undici client, until it is SIGKILLed.
//
// Run as: node test/integration/crash/refresher.ts (Node ≥ 23.6 strips the types).
// Input, from the environment:
//   LARDER_CRASH_DIR          the data directory holding vault.json (required)
//   LARDER_CRASH_PASSPHRASE   the vault's passphrase (required; the environment keeps it out of `ps`)
//   LARDER_CRASH_SANDBOX_URL  the sandbox's URL; every library in the vault must point at it (required)
//   LARDER_CRASH_CONCURRENCY  token requests in flight at once (default 8)
//   LARDER_CRASH_IDLE_MS      longest pause of one library between two of its refreshes (default 0)
//
// Output, one line per event on stdout (written synchronously: a pipe is synchronous on Linux, so every
// line printed before the kill reaches the test):
//   ready <pid>                     the vault is open and the loop starts
//   send <id>                       a refresh token of library <id> is about to go to the server
//   recv <id>                       the server's new pair arrived (not yet durable)
//   err <id> <kind> <maybe 0|1>     the token request failed; maybe=1: the server may have rotated anyway
//   ok <id>                         engine.refresh resolved: the rotated pair is durably on disk
//   fail <id> <kind> <state>        engine.refresh rejected; <state> is the library's tokenState after it
//   stop <id>                       the library is no longer active; its loop ends (never retried in a loop)
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { appVaultStore } from '../../support/app-store.ts'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { ApiError } from '../../../src/main/core/errors.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { EngineClient } from '../../../src/main/core/engine/ports.ts'
import { systemClock } from '../../../src/main/core/time/clock.ts'
import { createPassphraseCipher, openVault, readVaultHeader } from '../../../src/main/core/vault/index.ts'
import { NO_AUDIT } from '../../support/no-audit.ts'

function required(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`refresher: ${name} is not set`)
  return value
}

function count(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`refresher: ${name} must be a non-negative integer, got ${raw}`)
  return value
}

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

const dir = path.resolve(required('LARDER_CRASH_DIR'))
const passphrase = required('LARDER_CRASH_PASSPHRASE')
const sandboxUrl = required('LARDER_CRASH_SANDBOX_URL')
const concurrency = Math.max(1, count('LARDER_CRASH_CONCURRENCY', 8))
const idleMs = count('LARDER_CRASH_IDLE_MS', 0)
const vaultPath = path.join(dir, 'vault.json')

const header = readVaultHeader(vaultPath)
if (header === null) throw new Error(`refresher: there is no vault at ${vaultPath}`)
const { cipher } = await createPassphraseCipher(passphrase, header.cipher)
const vault = await openVault({
  path: vaultPath,
  openStore: appVaultStore(dir),
  cipher
})
const ids = vault.list().map((meta) => meta.id)
for (const meta of vault.list()) {
  if (meta.apiBaseUrl !== sandboxUrl) throw new Error(`refresher: ${meta.id} points at ${meta.apiBaseUrl}, not the sandbox ${sandboxUrl}`)
}

const api = createApicbaseClient()
// The engine's real client, with a line printed on each side of the request, so the test knows which
// libraries had a refresh between "sent" and "durable" when the kill came.
const client: EngineClient = {
  async refresh(target, credentials, refreshToken) {
    const id = target.rateKey
    say(`send ${id}`)
    try {
      const response = await api.refresh(target, credentials, refreshToken)
      say(`recv ${id}`)
      return response
    } catch (error) {
      const kind = error instanceof ApiError ? error.kind : 'other'
      const maybe = error instanceof ApiError && error.maybeCommitted ? 1 : 0
      say(`err ${id} ${kind} ${maybe}`)
      throw error
    }
  }
}
const engine = new RefreshEngine({ vault, client, clock: systemClock, concurrency, perTokenPerMinute: 100_000, audit: NO_AUDIT })

async function keepRefreshing(id: string): Promise<void> {
  // Staggered start, so a kill soon after "ready" does not always find every library mid-refresh.
  await sleep(Math.floor(Math.random() * (idleMs + 1)))
  for (;;) {
    if (vault.get(id)?.tokenState !== 'active') {
      say(`stop ${id}`)
      return
    }
    try {
      await engine.refresh(id, 'manual')
      say(`ok ${id}`)
    } catch (error) {
      const kind = error instanceof ApiError ? error.kind : error instanceof Error ? error.name : 'other'
      say(`fail ${id} ${kind} ${vault.get(id)?.tokenState ?? 'gone'}`)
    }
    // Always through the timer queue: a library that fails at once must not starve the others.
    await sleep(1 + Math.floor(Math.random() * (idleMs + 1)))
  }
}

say(`ready ${process.pid}`)
await Promise.all(ids.map((id) => keepRefreshing(id)))
// Every library is out of the loop (all need re-authorization): idle until killed, as the app would.
setInterval(() => undefined, 60_000)
