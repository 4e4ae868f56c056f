// The Larder process of the chaos run: the real vault, audit trail, undici client and refresh engine, on a
// manual clock that only the chaos run moves. It is SIGKILLed at random moments and started again on the same
// data folder, with the time it had reached.
//
// Run as: node test/chaos/larder-child.ts (Node ≥ 23.6 strips the types).
// Two hosts speak the same lines: 'engine' builds the vault, audit trail and refresh engine itself; 'agent' starts
// the headless app (`larder agent`'s startAgentHost: the data folder's lock, the endpoint, the whole app) with this
// clock and a client with a line on each side of its token requests.
// Environment:
//   LARDER_CHAOS_HOST         'engine' (default) or 'agent'
//   LARDER_CHAOS_DIR          the data folder holding vault.json (required)
//   LARDER_CHAOS_PASSPHRASE   the vault's passphrase (required; the environment keeps it out of `ps`)
//   LARDER_CHAOS_SANDBOX_URL  the sandbox every library points at (required)
//   LARDER_CHAOS_NOW          the clock's start, epoch ms: the time the previous process had reached (required)
//   LARDER_CHAOS_SEED         seeds the engine's jitter and the extra triggers (default 1)
//   LARDER_CHAOS_POKE         chance that a refresh in flight gets two more triggers (button, copy) (default 0.05)
//   LARDER_CHAOS_CONCURRENCY  token requests in flight at once (default 8)
//
// stdin, one command a line:
//   advance <ms>                   move the clock; timers fire in order, each one's refreshes settle before the next
//   sleep <ms>                     the machine sleeps: the clock jumps, then the engine re-evaluates (resume)
//   synced <t>                     the sandbox's clock has reached t (answer to "clock")
//   reauth <id> <expiresInS> <scopes,..> <accessToken> <refreshToken>
//                                  the library's owner issued a new pair (after needs re-authorization)
//   stop                           quit as the app does: settle, flush, close
// stdout, one event a line (a pipe is written synchronously on Linux: every line printed before a kill arrives):
//   lib <id> <tokenState> <1|0|x|-> <fingerprint>   at start, per library: does the server still accept its
//                                  stored access token (1), not (0: rotated or revoked), unknown (x), not asked
//                                  (-: not active); and the fingerprint of its stored refresh token
//   ready <pid> <now>              the engine has started
//   clock <t>                      a request is about to go out at t: move the sandbox's clock there first
//   send <id> <now>                a refresh token of <id> is about to go to the server
//   poke <id> <0|1>                two more triggers for <id>; 1 = they found its refresh in flight (and share it)
//   tok <length> <fingerprint>     a token arrived (never the token: see secret-scan.ts)
//   recv <id> <fingerprint>        the new pair arrived (not yet durable); the new refresh token's fingerprint
//   err <id> <kind> <maybe 0|1> <now> <retryAt|->   the token request failed
//   probe <id> <1|0|x>             after an answer that may have been lost: does the stored access token still work?
//   ok <id> <now>                  the engine's 'refreshed' event: the rotated pair is durable
//   fail <id> <kind> <now> <retryAt|->   the engine's 'failed' event
//   needs-reauth <id> <kind> <now>       the engine's 'needsReauth' event (the mark is durable)
//   advanced <now> / reauthed <id> / stopped
//   load-failed <what> <error name>  a store file did not open; the process exits with status 3
import path from 'node:path'
import readline from 'node:readline'
import { createApicbaseClient, type ApicbaseClient, type ApiTarget, type ClientCredentials } from '../../src/main/core/apicbase/index.ts'
import { openAuditLog, type AuditLog } from '../../src/main/core/audit/index.ts'
import { ApiError } from '../../src/main/core/errors.ts'
import { RefreshEngine } from '../../src/main/core/engine/refresh-engine.ts'
import type { Vault } from '../../src/main/core/vault/index.ts'
import { startAgentHost, type AgentHost } from '../../src/main/agent/agent-host.ts'
import { createRng } from '../sandbox/rng.ts'
import { ManualClock } from '../support/manual-clock.ts'
import { scannable, secretFingerprint } from './secret-scan.ts'
import { sayTeamLines } from './team-agents/member-lines.ts'
import { openVaultIn } from './vault-files.ts'

function required(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`larder-child: ${name} is not set`)
  return value
}

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`larder-child: ${name} must be a number, got ${raw}`)
  return value
}

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown'
}

const dir = path.resolve(required('LARDER_CHAOS_DIR'))
const passphrase = required('LARDER_CHAOS_PASSPHRASE')
const sandboxUrl = required('LARDER_CHAOS_SANDBOX_URL')
const startNow = numberFrom('LARDER_CHAOS_NOW', Number.NaN)
if (!Number.isFinite(startNow)) throw new Error('larder-child: LARDER_CHAOS_NOW must be an epoch time in ms')
const seed = numberFrom('LARDER_CHAOS_SEED', 1)
const pokeChance = numberFrom('LARDER_CHAOS_POKE', 0.05)
const concurrency = Math.max(1, Math.floor(numberFrom('LARDER_CHAOS_CONCURRENCY', 8)))
const clock = new ManualClock(startNow)
const random = createRng(seed)
const host = process.env['LARDER_CHAOS_HOST'] === 'agent' ? 'agent' : 'engine'

/** A store that does not open ends this process (the chaos run counts it). */
function loadFailed(what: string, error: unknown): never {
  say(`load-failed ${what} ${errorName(error)}`)
  process.stderr.write(`larder-child: the ${what} did not open: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(3)
}

const api = createApicbaseClient({ now: () => clock.now() })

// ── the sandbox's clock follows ours: before anything goes out, the chaos run moves it to our time ─────
let syncedUpTo = Number.NEGATIVE_INFINITY
const syncWaiters = new Map<number, Array<() => void>>()

function syncSandboxClock(at: number): Promise<void> {
  if (at <= syncedUpTo) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const waiting = syncWaiters.get(at)
    if (waiting !== undefined) {
      waiting.push(resolve)
      return
    }
    syncWaiters.set(at, [resolve])
    say(`clock ${at}`)
  })
}

function synced(at: number): void {
  syncedUpTo = Math.max(syncedUpTo, at)
  for (const [t, waiters] of syncWaiters) {
    if (t > syncedUpTo) continue
    syncWaiters.delete(t)
    for (const resolve of waiters) resolve()
  }
}

function reportToken(token: string): void {
  if (!scannable(token)) {
    say(`tok-unscannable ${token.length}`)
    return
  }
  say(`tok ${token.length} ${secretFingerprint(token)}`)
}

// Set once the host has started (at the end, after stdin is read: starting asks for the sandbox's clock).
let listening = false
let vault: Vault
let engine: RefreshEngine
let closeHost: () => Promise<void>
let startStates: string[] = []


/** Does the server still accept the library's stored access token? Rotation revokes the old one at once. */
async function accepted(id: string, from: Vault = vault): Promise<'1' | '0' | 'x'> {
  const meta = from.get(id)
  if (meta === undefined || meta.expiresAt === null || meta.expiresAt <= clock.now()) return 'x'
  const secrets = await from.secrets(id)
  const target: ApiTarget = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }
  const credentials: ClientCredentials = { clientId: meta.clientId, clientSecret: secrets.clientSecret }
  await syncSandboxClock(clock.now())
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const answer = await api.introspect(target, credentials, secrets.accessToken)
      if (answer === null) return 'x'
      return answer.active ? '1' : '0'
    } catch {
      // No faults are injected on introspection; a hiccup is retried.
    }
  }
  return 'x'
}

function poke(id: string): void {
  const inFlight = engine.isRefreshing(id)
  // A click on "refresh" and a copy while the timer's refresh is in flight: both must share its one request.
  engine.refresh(id, 'manual').catch(() => undefined)
  engine.freshAccessToken(id, 60_000).catch(() => undefined)
  say(`poke ${id} ${inFlight ? 1 : 0}`)
}

// The engine's real client with a line on each side of the request, so the chaos run knows which libraries
// were between "sent" and "durable" when a kill came, and what each failure looked like.
const client: Pick<ApicbaseClient, 'refresh'> = {
  async refresh(target, credentials, refreshToken) {
    const id = target.rateKey
    // The engine's events are listened to once the host has started: a refresh before that would go unreported.
    if (!listening) throw new Error(`larder-child: a refresh of ${id} started before the host was ready`)
    const at = clock.now()
    await syncSandboxClock(at)
    say(`send ${id} ${at}`)
    if (random() < pokeChance) poke(id)
    try {
      const response = await api.refresh(target, credentials, refreshToken)
      reportToken(response.accessToken)
      reportToken(response.refreshToken)
      say(`recv ${id} ${secretFingerprint(response.refreshToken)}`)
      return response
    } catch (error) {
      const kind = error instanceof ApiError ? error.kind : errorName(error)
      const maybe = error instanceof ApiError && error.maybeCommitted
      const retryAt = error instanceof ApiError && error.retryAt !== undefined ? String(error.retryAt) : '-'
      say(`err ${id} ${kind} ${maybe ? 1 : 0} ${clock.now()} ${retryAt}`)
      // Test instrumentation, not engine behaviour: tells the chaos run whether the server committed the rotation.
      if (maybe) say(`probe ${id} ${await accepted(id).catch(() => 'x')}`)
      throw error
    }
  }
}

// ── commands ──────────────────────────────────────────────────────────────────────────────────────────
let stopping = false

async function reauthorize(words: readonly string[]): Promise<void> {
  const [id, expiresIn, scopes, accessToken, refreshToken] = words
  if (id === undefined || expiresIn === undefined || scopes === undefined || accessToken === undefined || refreshToken === undefined) {
    throw new Error('reauth needs <id> <expiresInS> <scopes> <accessToken> <refreshToken>')
  }
  const issuedAt = clock.now()
  await vault.reauthorize(id, {
    accessToken,
    refreshToken,
    issuedAt,
    expiresAt: issuedAt + Number(expiresIn) * 1000,
    scopes: scopes.split(',').filter((s) => s !== '')
  })
  engine.track(id)
  say(`reauthed ${id}`)
}

async function stop(): Promise<void> {
  stopping = true
  await closeHost()
  await api.close()
  say('stopped')
  process.exit(0)
}

async function command(line: string): Promise<void> {
  const [name, ...words] = line.trim().split(' ')
  switch (name) {
    case 'advance':
      await clock.advance(Number(words[0]))
      say(`advanced ${clock.now()}`)
      return
    case 'sleep':
      // The machine was suspended: no timer fired meanwhile. On waking the app re-evaluates everything at once.
      clock.jump(Number(words[0]))
      engine.reevaluate()
      await clock.advance(0)
      say(`advanced ${clock.now()}`)
      return
    case 'synced':
      synced(Number(words[0]))
      return
    case 'reauth':
      await reauthorize(words)
      return
    case 'stop':
      await stop()
      return
    case '':
    case undefined:
      return
    default:
      throw new Error(`unknown command "${name}"`)
  }
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
input.on('line', (line) => {
  command(line).catch((error: unknown) => {
    process.stderr.write(`larder-child: "${line.split(' ')[0] ?? ''}" failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  })
})
input.on('close', () => {
  // The chaos run went away without saying stop: behave as a quitting app would.
  if (!stopping) stop().catch(() => process.exit(1))
})

// ── the host: the engine on its own, or the whole app as `larder agent` runs it ─────────────────────────

/** Per library, at start: is its stored access token still accepted (1/0/x, - when not active), and its refresh token's fingerprint. */
async function startLines(from: Vault): Promise<string[]> {
  const metas = from.list()
  for (const meta of metas) {
    if (meta.apiBaseUrl !== sandboxUrl) throw new Error(`larder-child: ${meta.id} points at ${meta.apiBaseUrl}, not the sandbox`)
  }
  const answers = new Map<string, string>()
  const stored = new Map<string, string>()
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < metas.length; i = next++) {
      const meta = metas[i]
      if (meta === undefined) continue
      stored.set(meta.id, secretFingerprint((await from.secrets(meta.id)).refreshToken))
      answers.set(meta.id, meta.tokenState === 'active' ? await accepted(meta.id, from).catch(() => 'x') : '-')
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return metas.map((meta) => `lib ${meta.id} ${meta.tokenState} ${answers.get(meta.id) ?? 'x'} ${stored.get(meta.id) ?? '-'}`)
}

if (host === 'engine') {
  let audit: AuditLog
  try {
    vault = await openVaultIn(dir, passphrase, () => clock.now())
  } catch (error) {
    loadFailed('vault', error)
  }
  try {
    audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  } catch (error) {
    loadFailed('audit', error)
  }
  const own = new RefreshEngine({ vault, client, clock, audit, concurrency, random })
  engine = own
  clock.settleWith = () => own.settled()
  closeHost = async () => {
    own.stop()
    await own.settled()
    await vault.close()
    await audit.close()
  }
  startStates = await startLines(vault)
} else {
  // What the server thinks of the stored tokens is asked before the agent starts its timers, on a vault of our own.
  try {
    const before = await openVaultIn(dir, passphrase, () => clock.now())
    startStates = await startLines(before)
    await before.close()
  } catch (error) {
    loadFailed('vault', error)
  }
  let agent: AgentHost
  try {
    agent = await startAgentHost({
      dataDir: dir,
      passphrase: () => Promise.resolve(passphrase),
      version: 'chaos',
      ports: { clock, http: { ...api, refresh: client.refresh }, tuning: { engine: { concurrency, random } } }
    })
  } catch (error) {
    loadFailed('agent', error)
  }
  const core = agent.app.core()
  if (core === null) throw new Error('larder-child: the agent started without an open vault')
  vault = core.vault
  engine = core.engine
  clock.settleWith = async () => {
    await core.health.settled()
    await core.engine.settled()
  }
  const stopTeamLines = sayTeamLines({ core, session: agent.app.session }, say)
  closeHost = async () => {
    stopTeamLines()
    await agent.close()
  }
}

engine.on('refreshed', ({ id }) => say(`ok ${id} ${clock.now()} ${Date.now()}`))
engine.on('failed', ({ id, failure }) => say(`fail ${id} ${failure.kind} ${clock.now()} ${failure.retryAt ?? '-'}`))
engine.on('needsReauth', ({ id, failure }) => say(`needs-reauth ${id} ${failure.kind} ${clock.now()}`))
listening = true

for (const line of startStates) say(line)
if (host === 'engine') engine.start()
say(`ready ${process.pid} ${clock.now()}`)
