// What a chaos run reports: its figures, the checks made of them, and the table `npm run chaos` prints.

export interface ChaosFigures {
  readonly seed: number
  /** The process killed: the refresh engine on its own, or `larder agent`'s whole app. */
  readonly host: 'engine' | 'agent'
  readonly libraries: number
  readonly refreshesTarget: number
  /** 200 answers at the token endpoint, final round included. */
  readonly refreshesDone: number
  readonly tokenRequests: number
  readonly faultsApplied: Readonly<Record<string, number>>
  readonly rateLimitBursts: number
  readonly killsPlanned: number
  readonly kills: number
  /** Larder processes started (the first and one after each kill). */
  readonly starts: number
  /** Starts after which `larder ls --json` answered with every library (agent only; 0 otherwise). */
  readonly listedByTerminal: number
  readonly committedUnanswered: number
  readonly committedUnansweredAnswerLost: number
  readonly committedUnansweredKilled: number
  readonly needsReauthMarks: number
  /** Attempts the server judged (rejected) between a token's death becoming known and its mark; ≤ 1. */
  readonly mostAttemptsBeforeMark: number
  /** Presentations of a dead token before its mark, including those a fault answered before the server judged them. */
  readonly mostPresentationsBeforeMark: number
  readonly reauthorized: number
  readonly healthyAtEnd: number
  readonly needsReauthAtEnd: number
  readonly lost: number
  readonly maxConcurrentRefreshesPerFamily: number
  readonly maxRequestsPerTokenPerMinute: number
  readonly retriesTooEarly: number
  readonly shortestWaitAfter429Ms: number | null
  readonly extraTriggersShared: number
  readonly storeLoads: number
  readonly storeFilesFailedToLoad: number
  readonly secretsSearched: number
  readonly filesSearched: number
  readonly bytesSearched: number
  readonly secretsInClear: number
  readonly secretsInOutput: number
  readonly filesOpenToOthers: number
  readonly simulatedDays: number
  readonly wallMs: number
  readonly timedOut: boolean
  readonly dataDir: string | null
}

export interface ChaosCheck {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

export interface ChaosResult {
  readonly figures: ChaosFigures
  readonly checks: readonly ChaosCheck[]
  /** Every surprise, one sentence each (the first 50 are kept). */
  readonly problems: readonly string[]
  readonly ok: boolean
}

export function check(name: string, ok: boolean, detail: string): ChaosCheck {
  return { name, ok, detail }
}

export function formatFigures(result: ChaosResult): string {
  const f = result.figures
  const faults = Object.entries(f.faultsApplied)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ')
  const rows: [string, string][] = [
    ['seed', `${f.seed}`],
    ['Larder process', f.host === 'agent' ? `larder agent (the whole app; larder ls --json answered after ${f.listedByTerminal} of ${f.starts} starts)` : 'the refresh engine'],
    ['libraries', `${f.libraries}`],
    ['refreshes done (200 answers at the token endpoint)', `${f.refreshesDone} (target ${f.refreshesTarget}; ${f.tokenRequests} token requests)`],
    ['faults injected', `${faults}; ${f.rateLimitBursts} bursts of 429`],
    ['kills (SIGKILL, then restart on the same data folder)', `${f.kills} of ${f.killsPlanned}`],
    ['committed by the server, never answered', `${f.committedUnanswered} (answer lost ${f.committedUnansweredAnswerLost}, killed before durable ${f.committedUnansweredKilled})`],
    [
      'marked needs re-authorization',
      `${f.needsReauthMarks} (most attempts before the mark: ${f.mostAttemptsBeforeMark}, most presentations incl. ones a fault answered: ${f.mostPresentationsBeforeMark}); re-authorized by the customer: ${f.reauthorized}`
    ],
    ['at the end', `${f.healthyAtEnd} healthy with the newest token, ${f.needsReauthAtEnd} need re-authorization`],
    ['refresh tokens lost', `${f.lost}`],
    ['largest number of concurrent refreshes of one token family', `${f.maxConcurrentRefreshesPerFamily}`],
    ['largest number of requests per token per minute', `${f.maxRequestsPerTokenPerMinute}`],
    ['retries before backoff / Retry-After', `${f.retriesTooEarly} (shortest wait after a 429: ${f.shortestWaitAfter429Ms === null ? '-' : `${f.shortestWaitAfter429Ms / 1000} s`})`],
    ['extra triggers that shared a refresh in flight', `${f.extraTriggersShared}`],
    ['store files that failed to load', `${f.storeFilesFailedToLoad} (of ${f.storeLoads} loads)`],
    ['secrets found in clear anywhere under the data folder', `${f.secretsInClear} (${f.secretsSearched} secrets, ${f.filesSearched} files, ${(f.bytesSearched / 1024).toFixed(0)} KiB)`],
    ['secrets in the Larder processes\' output', `${f.secretsInOutput}`],
    ['store files readable by others', `${f.filesOpenToOthers}`],
    ['simulated time', `${f.simulatedDays.toFixed(1)} days`],
    ['wall time', `${(f.wallMs / 1000).toFixed(1)} s${f.timedOut ? ' (time limit reached)' : ''}`]
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
  lines.push('', ...result.checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`))
  if (result.problems.length > 0) lines.push('', '  problems:', ...result.problems.map((p) => `    - ${p}`))
  return lines.join('\n')
}
