// Which terminal sessions may take tokens, on the app's clock and in memory only (a restart forgets every grant).
// The first call of a session asks the person once, however many calls wait on it (200 concurrent calls: one
// prompt); an allowed session lasts until it sits unused for its idle time (default 10 min) or reaches 12 h, or a
// person revokes it. A question nobody answers within 2 minutes is a refusal.
import { createHash, randomUUID } from 'node:crypto'
import { DEFAULT_SESSION_IDLE_MS, MAX_SESSION_MS, type TerminalRequestView, type TerminalSessionsView, type TerminalSessionView } from '../../../shared/contract.ts'
import type { ClientFacts } from '../../../shared/terminal-words.ts'
import type { AuditInput } from '../../core/audit/index.ts'
import { InputError } from '../../core/errors.ts'
import type { Clock, TimerHandle } from '../../core/time/clock.ts'

export type TerminalPolicy = 'ask' | 'allow'
export const PENDING_TIMEOUT_MS = 120_000

/** How a host shows a request (its window, a notification) and takes it down once it is answered or gone. */
export interface TerminalPromptPort {
  ask(request: TerminalRequestView): void
  settled(requestId: string): void
}

export interface TerminalAccessOptions {
  readonly clock: Clock
  readonly policy: TerminalPolicy
  readonly prompt?: TerminalPromptPort | undefined
  /** 'terminal.requested' and 'terminal.sessions' for the app's event stream. */
  readonly emit: {
    requested(request: TerminalRequestView): void
    sessions(view: TerminalSessionsView): void
  }
  /** The audit trail while the vault is open (null otherwise: nothing to record into). */
  readonly audit: () => { append(entry: AuditInput): Promise<unknown> } | null
  readonly pendingTimeoutMs?: number
}

/** A call let through: which session it belongs to, for the audit trail. */
export interface Grant {
  readonly sessionId: string
  readonly label: string
}

export class NotApprovedError extends Error {
  override readonly name = 'NotApprovedError'
}

interface Session {
  readonly sessionId: string
  readonly label: string
  readonly approvedAt: number
  lastUsedAt: number
  readonly idleMs: number
  readonly hardEndAt: number
  timer: TimerHandle | null
}

interface Pending {
  readonly sessionId: string
  readonly view: TerminalRequestView
  readonly answered: Promise<Grant>
  readonly settle: (outcome: Grant | Error) => void
  readonly timer: TimerHandle
}

export class TerminalAccess {
  readonly #options: TerminalAccessOptions
  readonly #sessions = new Map<string, Session>()
  /** By session id: at most one question per session at a time. */
  readonly #pending = new Map<string, Pending>()
  #policy: TerminalPolicy

  constructor(options: TerminalAccessOptions) {
    this.#options = options
    this.#policy = options.policy
  }

  /**
   * Lets a call through, or waits for the person's answer (one question per session, whatever the number of calls
   * waiting; `pending` tells each caller it waits), or rejects with NotApprovedError.
   */
  async admit(client: ClientFacts, pending: (message: string) => void, library: string | null = null): Promise<Grant> {
    const sessionId = sessionIdOf(client.session)
    const now = this.#options.clock.now()
    const session = this.#sessions.get(sessionId)
    if (session && this.#live(session, now)) {
      session.lastUsedAt = now
      return { sessionId, label: session.label }
    }
    if (session) this.#end(session)
    if (this.#policy === 'allow') return this.#allow(sessionId, labelOf(client), DEFAULT_SESSION_IDLE_MS, 'every terminal session is allowed (policy)')
    const waiting = this.#pending.get(sessionId) ?? this.#ask(sessionId, client, library)
    pending('Waiting for approval in Larder (window and notification)')
    const grant = await waiting.answered
    const allowed = this.#sessions.get(sessionId)
    if (allowed) allowed.lastUsedAt = this.#options.clock.now()
    return grant
  }

  /**
   * The label of this client's session when it may take tokens now without asking (allowed and live, or every session
   * by policy); null when it would have to ask. Changes nothing (the app lock reads it: nobody can be asked then).
   */
  allowedLabel(client: ClientFacts): string | null {
    if (this.#policy === 'allow') return labelOf(client)
    const session = this.#sessions.get(sessionIdOf(client.session))
    return session !== undefined && this.#live(session, this.#options.clock.now()) ? session.label : null
  }

  /** Refuses every request waiting for an answer (the app locked: nobody can answer in the window now). */
  refusePending(why: string): void {
    for (const request of [...this.#pending.values()]) this.#refuse(request, why)
  }

  approve(requestId: string, idleMs: number = DEFAULT_SESSION_IDLE_MS): TerminalSessionView {
    const request = this.#request(requestId)
    if (!request) throw new InputError('requestId', 'That request was already answered, or it timed out.')
    this.#options.clock.clearTimeout(request.timer)
    this.#pending.delete(request.sessionId)
    const grant = this.#allow(request.sessionId, request.view.label, Math.min(idleMs, MAX_SESSION_MS), `idle after ${minutes(idleMs)}`)
    this.#options.prompt?.settled(requestId)
    request.settle(grant)
    const session = this.#sessions.get(request.sessionId)
    if (!session) throw new Error('the session just allowed is gone')
    return viewOf(session)
  }

  deny(requestId: string): boolean {
    const request = this.#request(requestId)
    if (!request) return false
    this.#refuse(request, 'refused in Larder')
    return true
  }

  revoke(sessionId: string): boolean {
    const session = this.#sessions.get(sessionId)
    if (!session) return false
    this.#end(session)
    this.#record({ action: 'session_revoked', libraryId: null, libraryName: null, outcome: 'ok', detail: `session ${session.label}` })
    this.#changed()
    return true
  }

  list(): TerminalSessionsView {
    const now = this.#options.clock.now()
    for (const session of [...this.#sessions.values()]) if (!this.#live(session, now)) this.#end(session)
    return { sessions: [...this.#sessions.values()].map(viewOf), pending: [...this.#pending.values()].map((request) => request.view) }
  }

  /** Forgets every grant and refuses every waiting call (the app is closing). */
  close(): void {
    for (const request of [...this.#pending.values()]) this.#refuse(request, 'Larder is closing')
    for (const session of [...this.#sessions.values()]) this.#end(session)
  }

  #live(session: Session, now: number): boolean {
    return now < session.hardEndAt && now - session.lastUsedAt < session.idleMs
  }

  #ask(sessionId: string, client: ClientFacts, library: string | null): Pending {
    const { clock } = this.#options
    const now = clock.now()
    const timeoutMs = this.#options.pendingTimeoutMs ?? PENDING_TIMEOUT_MS
    const view: TerminalRequestView = {
      requestId: randomUUID(),
      label: labelOf(client),
      command: client.command.slice(0, 64),
      library: library === null ? null : library.slice(0, 200),
      pid: client.pid,
      ppid: client.ppid,
      tty: client.tty,
      cwd: client.cwd,
      at: now,
      expiresAt: now + timeoutMs
    }
    let settle: (outcome: Grant | Error) => void = () => undefined
    const answered = new Promise<Grant>((resolve, reject) => {
      settle = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))
    })
    // Every caller awaits it; one with no listener left must not surface as an unhandled rejection.
    answered.catch(() => undefined)
    const timer = clock.setTimeout(() => {
      const request = this.#pending.get(sessionId)
      if (request?.view.requestId === view.requestId) this.#refuse(request, `no answer within ${Math.round(timeoutMs / 1000)} s`)
    }, timeoutMs)
    const request: Pending = { sessionId, view, answered, settle, timer }
    this.#pending.set(sessionId, request)
    this.#options.emit.requested(view)
    this.#options.prompt?.ask(view)
    this.#changed()
    return request
  }

  #allow(sessionId: string, label: string, idleMs: number, how: string): Grant {
    const now = this.#options.clock.now()
    const session: Session = { sessionId, label, approvedAt: now, lastUsedAt: now, idleMs, hardEndAt: now + MAX_SESSION_MS, timer: null }
    this.#sessions.set(sessionId, session)
    this.#watch(session)
    this.#record({ action: 'session_allowed', libraryId: null, libraryName: null, outcome: 'ok', detail: `session ${label}; ${how}` })
    this.#changed()
    return { sessionId, label }
  }

  #refuse(request: Pending, why: string): void {
    this.#options.clock.clearTimeout(request.timer)
    this.#pending.delete(request.sessionId)
    this.#record({ action: 'session_refused', libraryId: null, libraryName: null, outcome: 'error', detail: `session ${request.view.label}; ${why}` })
    this.#options.prompt?.settled(request.view.requestId)
    request.settle(new NotApprovedError(`Larder did not allow this terminal session (${why}).`))
    this.#changed()
  }

  /** Drops the session when it goes idle or reaches its end; a use since the timer was set moves it on. */
  #watch(session: Session): void {
    const { clock } = this.#options
    const endsAt = Math.min(session.lastUsedAt + session.idleMs, session.hardEndAt)
    session.timer = clock.setTimeout(() => {
      session.timer = null
      if (this.#sessions.get(session.sessionId) !== session) return
      const now = clock.now()
      if (this.#live(session, now)) this.#watch(session)
      else {
        this.#end(session)
        const why = now >= session.hardEndAt ? `${MAX_SESSION_MS / 3_600_000} h after it was allowed` : `unused for ${minutes(session.idleMs)}`
        this.#record({ action: 'session_ended', libraryId: null, libraryName: null, outcome: 'ok', detail: `session ${session.label}; ${why}` })
        this.#changed()
      }
    }, Math.max(0, endsAt - clock.now()))
  }

  #end(session: Session): void {
    if (session.timer) this.#options.clock.clearTimeout(session.timer)
    session.timer = null
    if (this.#sessions.get(session.sessionId) === session) this.#sessions.delete(session.sessionId)
  }

  #request(requestId: string): Pending | undefined {
    for (const request of this.#pending.values()) if (request.view.requestId === requestId) return request
    return undefined
  }

  #record(entry: AuditInput): void {
    this.#options.audit()?.append({ ...entry, detail: clean(entry.detail ?? '') }).catch(() => undefined)
  }

  #changed(): void {
    this.#options.emit.sessions(this.list())
  }
}

/** The same terminal session, the same id; nothing of what the terminal said is kept in it. */
export function sessionIdOf(session: string): string {
  return createHash('sha256').update(session).digest('hex').slice(0, 32)
}

/** "bash on pts/3 (pid 4100)" where the parent's name is known; else "pts/3, shell pid 4100". */
function labelOf(client: ClientFacts): string {
  if (client.parent !== undefined) return clean(`${client.parent} on ${client.tty ?? 'no terminal'} (pid ${client.ppid})`)
  return clean(`${client.tty ?? 'no terminal'}, shell pid ${client.ppid}`)
}

function viewOf(session: Session): TerminalSessionView {
  return {
    sessionId: session.sessionId,
    label: session.label,
    approvedAt: session.approvedAt,
    lastUsedAt: session.lastUsedAt,
    idleMs: session.idleMs,
    hardEndAt: session.hardEndAt,
    endsAt: Math.min(session.lastUsedAt + session.idleMs, session.hardEndAt)
  }
}

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`
}

/** One line of plain text, short: what a terminal says of itself is not trusted. */
function clean(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, '?')
  return line.length > 290 ? `${line.slice(0, 290)}…` : line
}
