// The end of the chaos run: what the server saw, the store files, secrets in clear anywhere under the data folder
// or in the Larder processes' output, and dead tokens never marked; then the figures and the checks made of them.
import fs from 'node:fs'
import path from 'node:path'
import type { Sandbox } from '../sandbox/index.ts'
import { check, type ChaosCheck, type ChaosFigures, type ChaosResult } from './figures.ts'
import { checkStoresAtEnd } from './final-stores.ts'
import type { Ledger } from './ledger.ts'
import { DAY, START_TIME, type ChaosOptions } from './run-settings.ts'
import type { SecretIndex } from './secret-scan.ts'

export interface RunSoFar {
  readonly options: ChaosOptions
  readonly sandbox: Sandbox
  readonly dir: string
  readonly ledger: Ledger
  /** 200 answers at the token endpoint, final round included. */
  readonly refreshesDone: number
  readonly faultsApplied: Record<string, number>
  readonly rateLimitBursts: number
  readonly kills: number
  /** Processes started, and (agent) starts after which `larder ls --json` listed every library. */
  readonly terminal: { readonly starts: number; readonly listed: number }
  /** The time the Larder processes reached. */
  readonly reachedTime: number
  /** Everything the Larder processes printed. */
  readonly output: string
  readonly startedAt: number
}

export interface RunEnding {
  readonly timedOut: boolean
  readonly aborted: boolean
  readonly finalRoundDone: boolean
}

interface FolderScan {
  readonly files: number
  readonly filesOpenToOthers: number
  readonly bytesSearched: number
  /** Fingerprints of the secrets found in clear. */
  readonly inClear: Set<string>
}

/** Every file under the data folder: its permissions, and any known secret in it. */
function scanDataFolder(dir: string, secrets: SecretIndex): FolderScan {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
  const filesOpenToOthers = files.filter((e) => (fs.statSync(path.join(e.parentPath, e.name)).mode & 0o077) !== 0).length
  let bytesSearched = 0
  const inClear = new Set<string>()
  for (const entry of files) {
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1')
    bytesSearched += text.length
    for (const found of secrets.findIn(text)) inClear.add(found)
  }
  return { files: files.length, filesOpenToOthers, bytesSearched, inClear }
}

export async function finishRun(run: RunSoFar, ending: RunEnding): Promise<ChaosResult> {
  const { sandbox, ledger, options } = run
  const tokenHits = sandbox.counters.hits.filter((hit) => hit.route === 'token')
  const maxConcurrent = sandbox.counters.maxConcurrentRefreshesByFamily()
  const maxPerMinute = sandbox.counters.maxRequestsPerFamilyPerMinute()

  // A dead refresh token is presented at most once per process that knew nothing better.
  for (const [family, lifetimes] of ledger.overPresentedDeadTokens(tokenHits)) {
    ledger.problem(`family ${family}: its dead refresh token was presented ${lifetimes.rejected} times, more than once per process (${lifetimes.allowed})`)
  }

  // Every store file opens: the vault, its last good backup, the audit trail.
  let healthy = 0
  let needsReauthAtEnd = 0
  if (ending.finalRoundDone) {
    if (sandbox.clock.now() < run.reachedTime) sandbox.clock.set(run.reachedTime)
    const atEnd = await checkStoresAtEnd(run.dir, options.libraries, ledger)
    healthy = atEnd.healthy
    needsReauthAtEnd = atEnd.needsReauth
  }

  // Secrets in clear: every file under the data folder, and everything the Larder processes printed.
  const scan = scanDataFolder(run.dir, ledger.secrets)
  if (scan.inClear.size > 0) ledger.problem(`${scan.inClear.size} secrets found in clear under the data folder`)
  const inOutput = ledger.secrets.findIn(run.output).size
  if (inOutput > 0) ledger.problem(`${inOutput} secrets found in the Larder processes' output`)

  const pending = ledger.pendingDead()
  for (const library of pending) {
    ledger.lost(`${library.id}: its refresh token is dead at the server (${library.dead?.cause ?? '?'}) and it is not marked needs re-authorization`)
  }

  const counts = ledger.counts
  const committedUnanswered = counts.committedAnswerLost + counts.committedKilled
  const figures: ChaosFigures = {
    seed: options.seed,
    host: options.host ?? 'engine',
    libraries: options.libraries,
    refreshesTarget: options.refreshes,
    refreshesDone: run.refreshesDone,
    tokenRequests: tokenHits.length,
    faultsApplied: run.faultsApplied,
    rateLimitBursts: run.rateLimitBursts,
    killsPlanned: options.kills,
    kills: run.kills,
    starts: run.terminal.starts,
    listedByTerminal: run.terminal.listed,
    committedUnanswered,
    committedUnansweredAnswerLost: counts.committedAnswerLost,
    committedUnansweredKilled: counts.committedKilled,
    needsReauthMarks: counts.marks,
    mostAttemptsBeforeMark: counts.mostAttempts,
    mostPresentationsBeforeMark: counts.mostPresentations,
    reauthorized: counts.reauthorized,
    healthyAtEnd: healthy,
    needsReauthAtEnd,
    lost: counts.lost,
    maxConcurrentRefreshesPerFamily: maxConcurrent,
    maxRequestsPerTokenPerMinute: maxPerMinute,
    retriesTooEarly: counts.retriesTooEarly,
    shortestWaitAfter429Ms: counts.shortest429,
    extraTriggersShared: counts.pokesShared,
    storeLoads: counts.storeLoads,
    storeFilesFailedToLoad: counts.storeLoadFailures,
    secretsSearched: ledger.secrets.size,
    filesSearched: scan.files,
    bytesSearched: scan.bytesSearched,
    secretsInClear: scan.inClear.size,
    secretsInOutput: inOutput,
    filesOpenToOthers: scan.filesOpenToOthers,
    simulatedDays: (run.reachedTime - START_TIME) / DAY,
    wallMs: Date.now() - run.startedAt,
    timedOut: ending.timedOut,
    dataDir: options.keepDataDir === true ? run.dir : null
  }
  const checks = checksOf(figures, { pending: pending.length, ending, timeLimitMs: options.timeLimitMs, problemCount: ledger.problemCount })
  return { figures, checks, problems: ledger.problems, ok: checks.every((c) => c.ok) }
}

function checksOf(
  figures: ChaosFigures,
  run: { readonly pending: number; readonly ending: RunEnding; readonly timeLimitMs: number; readonly problemCount: number }
): ChaosCheck[] {
  const f = figures
  const { ending } = run
  return [
    check('refresh tokens lost', f.lost === 0, `${f.lost}`),
    check(
      'committed-unanswered marked needs re-authorization within one attempt',
      run.pending === 0 && f.mostAttemptsBeforeMark <= 1,
      `${f.committedUnanswered} (answer lost ${f.committedUnansweredAnswerLost}, killed before durable ${f.committedUnansweredKilled}); most attempts before the mark: ${f.mostAttemptsBeforeMark}`
    ),
    check('largest number of concurrent refreshes of one token family ≤ 1', f.maxConcurrentRefreshesPerFamily <= 1, `${f.maxConcurrentRefreshesPerFamily}`),
    check('largest number of requests per token per minute ≤ 100', f.maxRequestsPerTokenPerMinute <= 100, `${f.maxRequestsPerTokenPerMinute}`),
    check('store files that failed to load', f.storeFilesFailedToLoad === 0, `${f.storeFilesFailedToLoad} of ${f.storeLoads} loads`),
    check('secrets found in clear under the data folder', f.secretsInClear === 0, `${f.secretsInClear} (${f.secretsSearched} secrets searched in ${f.filesSearched} files)`),
    check('secrets in the Larder processes\' output', f.secretsInOutput === 0, `${f.secretsInOutput}`),
    check('retries before their backoff or Retry-After', f.retriesTooEarly === 0, `${f.retriesTooEarly}`),
    check('store files readable by others', f.filesOpenToOthers === 0, `${f.filesOpenToOthers}`),
    check('kills done', f.kills === f.killsPlanned, `${f.kills} of ${f.killsPlanned}`),
    ...(f.host === 'agent'
      ? [check('larder ls --json listed every library after every start', f.starts > 0 && f.listedByTerminal === f.starts, `${f.listedByTerminal} of ${f.starts} starts`)]
      : []),
    check(
      'refreshes done',
      f.refreshesDone >= f.refreshesTarget && !ending.timedOut && ending.finalRoundDone,
      `${f.refreshesDone} of ${f.refreshesTarget}${ending.timedOut ? ` (stopped by the ${run.timeLimitMs} ms time limit)` : ''}${ending.finalRoundDone ? '' : ' (no final round)'}`
    ),
    check('no other surprises', run.problemCount === 0, `${run.problemCount} problems`)
  ]
}
