// Crash safety: a separate process refreshes many libraries and is SIGKILLed at random moments, again and
// again. After the last kill every library must hold its family's newest refresh token, or, only where a kill
// (or a lost answer) fell between the server's rotation and our durable write, be marked as needing
// re-authorization with a message a person can act on. Never a library that looks fine but holds a dead token.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { appVaultStore } from '../../support/app-store.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import { ApiError } from '../../../src/main/core/errors.ts'
import { systemClock } from '../../../src/main/core/time/clock.ts'
import { createPassphraseCipher, openVault, readVaultHeader, type Vault } from '../../../src/main/core/vault/index.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../../sandbox/index.ts'
import { createRng } from '../../sandbox/rng.ts'
import { FAST_SCRYPT, readTree, secretsOf, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'
import { NO_AUDIT } from '../../support/no-audit.ts'

const SEED = Number(process.env['LARDER_CRASH_SEED'] ?? 20_261_125)
const LIBRARIES = 30
const CONCURRENCY = 8
/**
 * Longest pause of one library between two of its refreshes in the child. With no pause every library is
 * always mid-refresh, each kill costs about CONCURRENCY libraries, and after four or five kills all of them
 * need re-authorization, so the "still holds its newest token" half is never tested. Pauses up to 500 ms
 * leave a mix: most kills find one or two libraries mid-refresh (request or write), the rest survive.
 */
const IDLE_MS = Number(process.env['LARDER_CRASH_IDLE_MS'] ?? 500)
const READY_TIMEOUT_MS = 15_000
/**
 * Share of kills aimed at a rotation in progress: they wait for the next "recv" (a new pair arrived, not yet
 * durable) and strike 0–8 ms later, inside the seal + group-commit window (4 ms) + write. The others fall at a
 * random moment, mostly while idle or mid-request.
 */
const AIMED = 0.5
const REFRESHER = fileURLToPath(new URL('./refresher.ts', import.meta.url))

interface Tracked {
  readonly id: string
  readonly credentials: LibraryCredentials
  /** A refresh was sent (or was about to be) and has not yet been reported durable or failed. */
  open: boolean
  /** Why this library may have lost its token: kills that found it mid-refresh, answers that never came. */
  readonly lossReasons: string[]
  sent: number
  durable: number
}

interface Run {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr(): string
  /** Everything it printed, stdout and stderr. */
  output(): string
}

const live = new Set<ChildProcess>()
const cleanups: (() => Promise<void> | void)[] = []

afterAll(async () => {
  // Children first, even when an assertion failed half-way.
  for (const child of live) child.kill('SIGKILL')
  for (const cleanup of cleanups.reverse()) await cleanup()
}, 20_000)

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

function startRefresher(dir: string, sandboxUrl: string, onLine: (line: string) => void): Run {
  const child = spawn(process.execPath, ['--no-warnings', REFRESHER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LARDER_CRASH_DIR: dir,
      LARDER_CRASH_PASSPHRASE: TEST_PASSPHRASE,
      LARDER_CRASH_SANDBOX_URL: sandboxUrl,
      LARDER_CRASH_CONCURRENCY: String(CONCURRENCY),
      LARDER_CRASH_IDLE_MS: String(IDLE_MS)
    }
  })
  live.add(child)
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
  })
  let markReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  let buffered = ''
  let out = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    buffered += chunk
    let newline = buffered.indexOf('\n')
    while (newline >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (line.startsWith('ready ')) markReady()
      else onLine(line)
      newline = buffered.indexOf('\n')
    }
  })
  // 'close' comes after 'exit' and after stdout and stderr have been read to the end.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      live.delete(child)
      resolve({ code, signal })
    })
  })
  return { child, ready, closed, stderr: () => err, output: () => out + err }
}

/** Rejects after `ms` unless `signal` aborts first (then it never settles, and leaves no timer behind). */
function deadline(ms: number, message: () => string, signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`${message()} (after ${ms} ms)`)), ms)
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
  })
}

async function openAt(dir: string, file = 'vault.json'): Promise<Vault> {
  const vaultPath = path.join(dir, file)
  const header = readVaultHeader(vaultPath)
  if (header === null) throw new Error(`no vault at ${vaultPath}`)
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, header.cipher)
  return openVault({ path: vaultPath, openStore: appVaultStore(dir, path.basename(file, '.json')), cipher })
}

describe('crash safety', () => {
  it(
    'a refreshing process killed at random moments never leaves a library silently broken',
    async () => {
      const rng = createRng(SEED)
      const kills = 12 + Math.floor(rng() * 9) // 12..20

      const sandbox: Sandbox = await startSandbox({ rateLimitPerMinute: false, seed: SEED })
      cleanups.push(() => sandbox.close())
      const api: ApicbaseClient = createApicbaseClient()
      cleanups.push(() => api.close())
      const dir = tempDir('larder-crash-')

      // ── a vault holding every library, as if each had just been added ──────────────────────────────
      const tracked = new Map<string, Tracked>()
      {
        const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
        const vault = await openVault({
          path: path.join(dir, 'vault.json'),
          openStore: appVaultStore(dir),
          cipher
        })
        const now = Date.now()
        for (let i = 1; i <= LIBRARIES; i++) {
          const credentials = sandbox.addLibraryWithApplication({ name: `Crash Kitchen ${i}` })
          const id = `lib-${i}`
          const record = sandboxLibraryRecord(credentials, { id, apiBaseUrl: sandbox.url, issuedAt: now })
          await vault.add(record.meta, record.secrets)
          tracked.set(id, { id, credentials, open: false, lossReasons: [], sent: 0, durable: 0 })
        }
        await vault.close()
      }

      // ── a network that is slow now and then, and sometimes loses an answer after the server committed ──
      sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 5, probability: 0.5 })
      sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 10, probability: 0.3 })
      sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 25, probability: 0.2 })
      const resetFault = sandbox.faults.inject({ route: 'token', kind: 'reset_after_commit', probability: 0.02 })

      // ── what the children say, folded into one picture per library ──────────────────────────────────
      const surprises: string[] = []
      let onRecv: (() => void) | null = null
      let childNeedsReauth = 0
      const onLine = (kill: number) => (line: string) => {
        const [event, id, a, b] = line.split(' ')
        const library = id === undefined ? undefined : tracked.get(id)
        if (library === undefined) {
          surprises.push(`child ${kill}: unexpected line "${line}"`)
          return
        }
        switch (event) {
          case 'send':
            library.open = true
            library.sent++
            break
          case 'recv':
            onRecv?.()
            break
          case 'err':
            if (b === '1') library.lossReasons.push(`child ${kill}: answer lost (${a ?? '?'}, server may have rotated)`)
            break
          case 'ok':
            library.open = false
            library.durable++
            break
          case 'fail':
            library.open = false
            if (b === 'needs_reauth') childNeedsReauth++
            else if (a !== 'network') surprises.push(`child ${kill}: ${id} failed with ${a ?? '?'} and stays ${b ?? '?'}`)
            break
          case 'stop':
            break
          default:
            surprises.push(`child ${kill}: unexpected line "${line}"`)
        }
      }

      // ── kill, restart, kill … ────────────────────────────────────────────────────────────────────────
      const started = Date.now()
      let childOutput = ''
      let aimed = 0
      for (let k = 1; k <= kills; k++) {
        const run = startRefresher(dir, sandbox.url, onLine(k))
        const early = run.closed.then(({ code, signal }) => {
          throw new Error(`refresher ${k} exited on its own (code ${code}, signal ${signal}):\n${run.stderr()}`)
        })
        early.catch(() => undefined)
        const waiting = new AbortController()
        try {
          await Promise.race([run.ready, early, deadline(READY_TIMEOUT_MS, () => `refresher ${k} did not get ready:\n${run.stderr()}`, waiting.signal)])
        } finally {
          waiting.abort()
        }
        await Promise.race([sleep(20 + Math.floor(rng() * 281)), early])
        if (rng() < AIMED) {
          // Aim at the window the issue is about: a new pair has arrived and is being sealed and written.
          aimed++
          const delay = Math.floor(rng() * 9)
          await Promise.race([
            new Promise<void>((resolve) => {
              onRecv = resolve
            }),
            sleep(1_000),
            early
          ])
          onRecv = null
          if (delay > 0) await sleep(delay)
        }
        run.child.kill('SIGKILL')
        const exit = await run.closed
        expect(exit.signal, `refresher ${k} should die by our SIGKILL; stderr:\n${run.stderr()}`).toBe('SIGKILL')
        childOutput += run.output()
        for (const library of tracked.values()) {
          if (!library.open) continue
          library.lossReasons.push(`kill ${k} came mid-refresh`)
          library.open = false
        }
      }
      const chaosMs = Date.now() - started

      const resetsApplied = sandbox.faults.list().find((f) => f.id === resetFault)?.applied ?? 0
      sandbox.faults.clear()
      const chaosHits = sandbox.counters.hits.filter((hit) => hit.route === 'token')

      // ── restart once more, in this process, and give every library one refresh ───────────────────────
      const files = fs.readdirSync(dir)
      // Every file the children left, temporary ones included, is private to the user.
      const exposed = files.filter((name) => (fs.statSync(path.join(dir, name)).mode & 0o077) !== 0)
      const vault = await openAt(dir)
      cleanups.push(() => vault.close())
      const engine = new RefreshEngine({ vault, client: api, clock: systemClock, concurrency: CONCURRENCY, perTokenPerMinute: 100_000, audit: NO_AUDIT })
      cleanups.push(() => engine.stop())
      const ids = [...tracked.keys()]
      const outcomes = await Promise.allSettled(ids.map((id) => engine.refresh(id, 'manual')))
      await engine.settled()
      engine.stop()

      const healthy: string[] = []
      const needsReauth: string[] = []
      const why = new Map<string, number>()
      const problems: string[] = [...surprises]
      for (const [index, id] of ids.entries()) {
        const library = tracked.get(id)
        const outcome = outcomes[index]
        const meta = vault.get(id)
        if (library === undefined || outcome === undefined || meta === undefined) {
          problems.push(`${id}: missing from the vault after the crashes`)
          continue
        }
        const secrets = await vault.secrets(id)
        const target = { baseUrl: sandbox.url, libraryName: meta.name, rateKey: id }
        const credentials = { clientId: meta.clientId, clientSecret: secrets.clientSecret }
        if (outcome.status === 'fulfilled') {
          // The stored refresh token was accepted, so it was its family's newest; the new one is now.
          if (meta.tokenState !== 'active' || engine.status(id) !== 'healthy') {
            problems.push(`${id}: refreshed but shows ${meta.tokenState}/${String(engine.status(id))}`)
          }
          if (outcome.value !== secrets.accessToken) problems.push(`${id}: the token handed out is not the one on disk`)
          const check = await api.introspect(target, credentials, secrets.accessToken)
          if (check?.active !== true) problems.push(`${id}: its fresh access token is not active at the server`)
          healthy.push(id)
          continue
        }
        const error: unknown = outcome.reason
        const message = meta.lastError?.message ?? ''
        if (
          meta.tokenState !== 'needs_reauth' ||
          engine.status(id) !== 'needs_reauth' ||
          !(error instanceof ApiError) ||
          error.kind !== 'invalid_grant' ||
          meta.lastError?.kind !== 'invalid_grant' ||
          !message.includes(`Ask the owner of ${meta.name} for a new token`)
        ) {
          const kind = error instanceof ApiError ? error.kind : String(error)
          problems.push(`${id}: neither healthy nor plainly needing re-authorization (${meta.tokenState}, ${kind}: ${message})`)
          continue
        }
        needsReauth.push(id)
        const reason = /answer never arrived/.test(message)
          ? 'answer never arrived'
          : /already consumed/.test(message)
            ? 'spent-ledger hit, not sent'
            : /no longer accepts/.test(message)
              ? 'rejected by the server'
              : 'other'
        why.set(reason, (why.get(reason) ?? 0) + 1)
        // Only where a kill or a lost answer fell between the server's rotation and our write.
        if (library.lossReasons.length === 0) {
          problems.push(`${id}: needs re-authorization, yet no kill found it mid-refresh and no answer was lost (${message})`)
        }
        // And the server agrees the token really is gone: a false alarm would cost the customer a new token for nothing.
        const check = await api.introspect(target, credentials, secrets.accessToken)
        if (check?.active !== false) problems.push(`${id}: marked needs re-authorization but its stored access token still works`)
      }

      // Never a refresh token sent again once its loss was known: at most one rejected presentation per library,
      // plus one for each kill that cut off the recording of that rejection.
      const tokenHits = sandbox.counters.hits.filter((hit) => hit.route === 'token')
      for (const library of tracked.values()) {
        const rejected = tokenHits.filter((hit) => hit.familyId === library.credentials.familyId && hit.status === 400).length
        if (rejected > 1 + library.lossReasons.length) problems.push(`${library.id}: its dead refresh token was presented ${rejected} times`)
      }

      // No secret the sandbox ever issued for a library's final pair (nor its starting one) is on disk in clear.
      const secrets: string[] = []
      for (const library of tracked.values()) {
        const stored = await vault.secrets(library.id)
        secrets.push(...secretsOf(library.credentials), stored.clientSecret, stored.accessToken, stored.refreshToken)
      }
      await vault.close()
      const everything = readTree(dir)
      const inClear = secrets.filter((secret) => everything.includes(secret)).length
      const inOutput = secrets.filter((secret) => childOutput.includes(secret)).length

      // Every vault file opens: the vault (just did), and the last good backup the children kept.
      const backupCopy = tempDir('larder-crash-bak-')
      fs.copyFileSync(path.join(dir, 'vault.json.bak'), path.join(backupCopy, 'vault.json'))
      const backup = await openAt(backupCopy)
      const backupLibraries = backup.list().length
      await backup.close()

      const answered = chaosHits.filter((hit) => hit.status === 200).length
      const cutOff = chaosHits.filter((hit) => hit.status === 0).length
      const rejectedTotal = chaosHits.filter((hit) => hit.status === 400).length

      const sentByChildren = [...tracked.values()].reduce((sum, library) => sum + library.sent, 0)
      const durableByChildren = [...tracked.values()].reduce((sum, library) => sum + library.durable, 0)
      const killedMidRefresh = [...tracked.values()].reduce(
        (sum, library) => sum + library.lossReasons.filter((reason) => reason.startsWith('kill')).length,
        0
      )
      const leftovers = files.filter((name) => name.includes('.tmp-') || name.includes('.tmp'))
      console.log(
        [
          `crash safety (seed ${SEED}, idle ${IDLE_MS} ms): ${LIBRARIES} libraries, ${kills} kills (${aimed} aimed at a rotation) in ${chaosMs} ms`,
          `  token requests at the server while killing: ${chaosHits.length} (200 answered: ${answered}, cut off/reset: ${cutOff}, rejected 400: ${rejectedTotal}); reset_after_commit injected: ${resetsApplied}`,
          `  children: ${sentByChildren} sent, ${durableByChildren} durable; kills that found a library mid-refresh: ${killedMidRefresh}`,
          `  after restart: ${healthy.length} healthy, ${needsReauth.length} need re-authorization (${childNeedsReauth} already marked by a child; ${[...why].map(([k, n]) => `${k}: ${n}`).join(', ')}); bound ${kills * CONCURRENCY + resetsApplied}`,
          `  max refreshes in flight per family: ${sandbox.counters.maxConcurrentRefreshesByFamily()}; files in the data dir: ${files.length} (${leftovers.length} temporary left by kills)`,
          `  files: ${files.join(' ')}`
        ].join('\n')
      )

      expect(problems).toEqual([])
      expect(healthy.length + needsReauth.length).toBe(LIBRARIES)
      expect(needsReauth.length).toBeLessThanOrEqual(kills * CONCURRENCY + resetsApplied)
      expect(sandbox.counters.maxConcurrentRefreshesByFamily()).toBeLessThanOrEqual(1)
      expect(inClear).toBe(0)
      expect(exposed).toEqual([])
      expect(inOutput).toBe(0)
      expect(backupLibraries).toBe(LIBRARIES)
      // The run tested something: rotations were made durable between kills, and kills (or lost answers) found
      // libraries mid-refresh. How many libraries come through healthy depends on where the kills land (on a
      // loaded machine the aimed ones can catch every library), so it is printed above, not asserted.
      expect(durableByChildren).toBeGreaterThan(kills)
      expect(killedMidRefresh + resetsApplied).toBeGreaterThan(0)
    },
    60_000
  )
})
