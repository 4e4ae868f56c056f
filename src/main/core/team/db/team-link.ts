// A member's link to the team database (issue 16): a pool for reads and writes, and one dedicated session that
// LISTENs for the team's changes. That session is how a member knows it is online: when it drops (the server
// restarted, the network went, an administrator ended it) the member is offline at once and says since when and why;
// it reconnects with a growing pause, and once back it says so, so that what changed meanwhile is read again (a
// NOTIFY reaches only those listening at that moment). pg does not reconnect a listening client by itself, and a
// connection can die without a word, so the session is also asked a `SELECT 1` now and then.
import { EventEmitter } from 'node:events'
import pg from 'pg'
import { systemClock, type Clock, type TimerHandle } from '../../time/clock.ts'
import type { TeamConnectionOptions } from './connection-config.ts'

export type TeamLinkState = { readonly state: 'connecting' } | { readonly state: 'online'; readonly since: number } | { readonly state: 'offline'; readonly since: number; readonly reason: string }

export interface TeamLinkEvents {
  /** Online again (or for the first time): what changed while away must be read again. */
  online: [since: number]
  offline: [since: number, reason: string]
  /** A NOTIFY on the team's channel, its payload as sent. */
  notification: [payload: string]
}

export interface TeamLinkOptions {
  readonly connection: TeamConnectionOptions
  /** The channel the team's writes NOTIFY on. */
  readonly channel: string
  readonly clock?: Clock
  /** Pauses between reconnects: the first, and the longest it grows to. */
  readonly retryMs?: { readonly first: number; readonly max: number }
  /** How often the listening session is asked `SELECT 1`. */
  readonly heartbeatMs?: number
  readonly poolSize?: number
  /**
   * Asked of every new listening session before the member counts as online (e.g. that the database still holds this
   * member's team: a URL can come to point elsewhere). A refusal keeps it offline, its message as the reason.
   */
  readonly verify?: (session: pg.Client) => Promise<void>
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/
/** How much longer than the server's statement timeout a pooled query may go unanswered before it is given up. */
const QUERY_MARGIN_MS = 5_000

/** Why a session ended, in words without any secret (pg's messages name the user at most, never the password). */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : String(error)
  return typeof code === 'string' && code !== '' ? `${message} (${code})` : message
}

export class TeamLink extends EventEmitter<TeamLinkEvents> {
  readonly pool: pg.Pool
  readonly #options: TeamLinkOptions
  readonly #clock: Clock
  #state: TeamLinkState = { state: 'connecting' }
  #listener: pg.Client | null = null
  #retryTimer: TimerHandle | null = null
  #heartbeatTimer: TimerHandle | null = null
  #pause: number
  #closed = false

  constructor(options: TeamLinkOptions) {
    super()
    if (!CHANNEL.test(options.channel)) throw new Error(`"${options.channel}" cannot be a notification channel: lower-case letters, digits and underscores.`)
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.#pause = options.retryMs?.first ?? 250
    // A query whose session went silent (a half-open connection: no reset, no answer) fails after the server's own
    // statement timeout plus a margin instead of waiting forever, and the client is dropped (withPooledClient,
    // pool.query); otherwise a take-in waiting on it would hold up every read queued behind it (sync.ts).
    this.pool = new pg.Pool({ ...options.connection, max: options.poolSize ?? 4, query_timeout: options.connection.statement_timeout + QUERY_MARGIN_MS, keepAlive: true })
    // An idle pooled client's error would otherwise end the process; the listener says when the link is down.
    this.pool.on('error', () => undefined)
  }

  state(): TeamLinkState {
    return this.#state
  }

  /** Connects the listening session; resolves once online, or once the first attempt failed (then retries on its own). */
  async start(): Promise<void> {
    await this.#connect()
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#retryTimer !== null) this.#clock.clearTimeout(this.#retryTimer)
    if (this.#heartbeatTimer !== null) this.#clock.clearTimeout(this.#heartbeatTimer)
    const listener = this.#listener
    this.#listener = null
    await listener?.end().catch(() => undefined)
    await this.pool.end().catch(() => undefined)
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const client = new pg.Client(this.#options.connection)
    let down = false
    const lost = (reason: string): void => {
      if (down) return
      down = true
      if (this.#listener === client) this.#listener = null
      client.end().catch(() => undefined)
      this.#wentOffline(reason)
    }
    client.on('error', (error) => lost(reasonOf(error)))
    client.on('end', () => lost('the connection ended'))
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel) this.emit('notification', message.payload ?? '')
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${this.#options.channel}`)
      await this.#options.verify?.(client)
    } catch (error) {
      lost(reasonOf(error))
      return
    }
    if (this.#closed || down) {
      await client.end().catch(() => undefined)
      return
    }
    this.#listener = client
    this.#pause = this.#options.retryMs?.first ?? 250
    const since = this.#clock.now()
    this.#state = { state: 'online', since }
    this.#beat(client)
    this.emit('online', since)
  }

  #wentOffline(reason: string): void {
    if (this.#closed) return
    if (this.#heartbeatTimer !== null) this.#clock.clearTimeout(this.#heartbeatTimer)
    // Said again when the reason changes (out of reach, then a database that is not the team's), from the same since.
    if (this.#state.state !== 'offline' || this.#state.reason !== reason) {
      const since = this.#state.state === 'offline' ? this.#state.since : this.#clock.now()
      this.#state = { state: 'offline', since, reason }
      this.emit('offline', since, reason)
    }
    if (this.#retryTimer !== null) return
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = null
      void this.#connect()
    }, this.#pause)
    this.#pause = Math.min(this.#pause * 2, this.#options.retryMs?.max ?? 5_000)
  }

  #beat(client: pg.Client): void {
    const every = this.#options.heartbeatMs ?? 5_000
    this.#heartbeatTimer = this.#clock.setTimeout(() => {
      if (this.#listener !== client) return
      // No answer within a beat, or an error, means the session is gone even if pg has not said so yet.
      let answered = false
      const silent = this.#clock.setTimeout(() => {
        if (!answered) client.emit('error', new Error(`The team database did not answer within ${every} ms`))
      }, every)
      client.query('SELECT 1').then(
        () => {
          answered = true
          this.#clock.clearTimeout(silent)
          this.#beat(client)
        },
        (error: unknown) => {
          answered = true
          this.#clock.clearTimeout(silent)
          client.emit('error', error instanceof Error ? error : new Error(reasonOf(error)))
        }
      )
    }, every)
  }
}
