// Connecting a personal token through OAuth's authorization-code flow. `start` makes a pending flow (a random state,
// a PKCE verifier whose S256 challenge goes in the address, ten minutes to finish) and the address of Apicbase's
// authorization page, which the Electron shell opens in the system browser. The way back is either the code pasted by
// hand (the default when the application has no redirect URL) or a loopback redirect caught on 127.0.0.1. An
// authorization code lives one minute at Apicbase: the loopback path exchanges it the moment it arrives. The token that
// comes back is a personal token: stored once, as a connection whose libraries are added next.
import { randomUUID } from 'node:crypto'
import { normalizeApiBaseUrl, requireTrustedApiHost, type ApicbaseClient, type ApicbaseLibrary, type TokenResponse } from '../apicbase/index.ts'
import { auditFailureDetail, type AuditInput } from '../audit/index.ts'
import { ApiError, InputError } from '../errors.ts'
import type { AddedLibrary, ExchangedToken, LibraryWithStatus } from '../libraries/library-service.ts'
import { displayName, pastedOpaque } from '../libraries/pasted.ts'
import type { Clock, TimerHandle } from '../time/clock.ts'
import { buildAuthorizeUrl } from './authorize-url.ts'
import { startLoopbackCatcher, type LoopbackCatcher, type LoopbackOutcome } from './loopback.ts'
import { readPastedCode } from './pasted-code.ts'
import { newCodeVerifier, s256Challenge } from './pkce.ts'
import { newState } from './state.ts'

/** Apicbase's authorization codes expire one minute after they are shown (API.md). */
export const CODE_LIFETIME_MS = 60_000
/** How long Larder waits for a flow it started to come back. */
const FLOW_LIFETIME_MS = 10 * 60_000
const DEFAULT_CONNECTION_NAME = 'Personal token'
const MAX_FLOWS = 8

export const CODE_EXPIRED_MESSAGE =
  'Apicbase did not accept this authorization code: it has expired (codes live one minute) or was already used, or it was issued for another authorization. Nothing was saved; start again.'

export type RedirectMode = 'paste' | 'loopback'

export interface OAuthStartInput {
  readonly name?: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
  readonly apiBaseUrl?: string
  /** The host, when it is not Apicbase's: the person confirmed they trust it with the client secret and token. */
  readonly confirmedHost?: string
  readonly redirect: RedirectMode
}

export interface OAuthStarted {
  readonly flowId: string
  /** For the system browser. */
  readonly authorizeUrl: string
  /** The flow is forgotten after this. */
  readonly expiresAt: number
  /** How long a code lives once Apicbase shows it. */
  readonly codeLifetimeMs: number
  /** The loopback address registered for this flow; null when the code is pasted. */
  readonly redirectUri: string | null
}

export interface OAuthConnected {
  readonly connection: LibraryWithStatus
  /** The library the token acts on now, when Apicbase said. */
  readonly activeLibrary: ApicbaseLibrary | null
  /** Things to tell the person about this token (a missing scope). */
  readonly notes: readonly string[]
}

export interface OAuthServiceOptions {
  readonly client: ApicbaseClient
  readonly clock: Clock
  /** Stores the exchanged pair as a connection (LibraryService.addExchanged). */
  readonly store: (token: ExchangedToken) => Promise<AddedLibrary>
  readonly defaultApiBaseUrl: () => string
  /** Called once a connection is stored, whoever was waiting for it; answers the connection as it stands then. */
  readonly onConnected?: (added: AddedLibrary) => LibraryWithStatus
  readonly flowLifetimeMs?: number
  /** The audit trail: every start, finish and failure of an authorization. */
  readonly record?: (entry: AuditInput) => void
}

interface Flow {
  readonly id: string
  readonly state: string
  /** PKCE: kept in this process, sent only with the code to the token endpoint. */
  readonly codeVerifier: string
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
  readonly apiBaseUrl: string
  readonly redirectUri: string | null
  readonly expiresAt: number
  readonly catcher: LoopbackCatcher | null
  /** Ends a pasted-code flow nobody finished (a loopback flow ends with its listener's timeout). */
  timer: TimerHandle | null
  status: 'waiting' | 'exchanging' | 'finished'
  readonly outcome: Promise<OAuthConnected>
  succeed(connected: OAuthConnected): void
  fail(error: unknown): void
}

export class OAuthService {
  readonly #client: ApicbaseClient
  readonly #clock: Clock
  readonly #store: (token: ExchangedToken) => Promise<AddedLibrary>
  readonly #defaultApiBaseUrl: () => string
  readonly #onConnected: ((added: AddedLibrary) => LibraryWithStatus) | undefined
  readonly #lifetimeMs: number
  readonly #record: (entry: AuditInput) => void
  readonly #flows = new Map<string, Flow>()
  #closed = false

  constructor(options: OAuthServiceOptions) {
    this.#client = options.client
    this.#clock = options.clock
    this.#store = options.store
    this.#defaultApiBaseUrl = options.defaultApiBaseUrl
    this.#onConnected = options.onConnected
    this.#lifetimeMs = options.flowLifetimeMs ?? FLOW_LIFETIME_MS
    this.#record = options.record ?? (() => undefined)
  }

  /** Starts a flow; the caller opens `authorizeUrl` in the system browser. */
  async start(input: OAuthStartInput): Promise<OAuthStarted> {
    if (this.#closed) throw new InputError('flowId', 'Larder is closing')
    let checked: ReturnType<typeof checkStart>
    try {
      checked = checkStart(input, this.#defaultApiBaseUrl)
    } catch (error) {
      this.#record({ action: 'authorization_started', libraryId: null, libraryName: null, outcome: 'error', detail: auditFailureDetail(error) })
      throw error
    }
    this.#prune()
    // A person who starts again has given up on the oldest one.
    const waiting = [...this.#flows.values()].filter((flow) => flow.status === 'waiting')
    for (const flow of waiting.slice(0, Math.max(0, waiting.length - MAX_FLOWS + 1))) this.#end(flow, abandoned())
    const state = newState()
    const catcher = checked.redirect === 'loopback' ? await startLoopbackCatcher({ state, clock: this.#clock, timeoutMs: this.#lifetimeMs }) : null
    let succeed: (connected: OAuthConnected) => void = () => undefined
    let fail: (error: unknown) => void = () => undefined
    const outcome = new Promise<OAuthConnected>((resolve, reject) => {
      succeed = resolve
      fail = reject
    })
    outcome.catch(() => undefined) // nobody may be waiting for a flow that fails
    const flow: Flow = {
      id: randomUUID(),
      state,
      codeVerifier: newCodeVerifier(),
      name: checked.name,
      clientId: checked.clientId,
      clientSecret: checked.clientSecret,
      scopes: checked.scopes,
      apiBaseUrl: checked.apiBaseUrl,
      redirectUri: catcher?.redirectUri ?? null,
      expiresAt: this.#clock.now() + this.#lifetimeMs,
      catcher,
      timer: null,
      status: 'waiting',
      outcome,
      succeed,
      fail
    }
    this.#flows.set(flow.id, flow)
    const how = flow.redirectUri === null ? 'code to paste' : 'loopback redirect'
    this.#record({ action: 'authorization_started', libraryId: null, libraryName: flow.name, outcome: 'ok', detail: `at ${new URL(flow.apiBaseUrl).host}, ${how}` })
    if (catcher) void catcher.outcome.then((result) => this.#caught(flow, result))
    else {
      flow.timer = this.#clock.setTimeout(() => this.#prune(), this.#lifetimeMs)
      flow.timer.unref?.()
    }
    return {
      flowId: flow.id,
      authorizeUrl: buildAuthorizeUrl({
        apiBaseUrl: flow.apiBaseUrl,
        clientId: flow.clientId,
        scopes: flow.scopes,
        state,
        codeChallenge: s256Challenge(flow.codeVerifier),
        redirectUri: flow.redirectUri
      }),
      expiresAt: flow.expiresAt,
      codeLifetimeMs: CODE_LIFETIME_MS,
      redirectUri: flow.redirectUri
    }
  }

  /** Finishes a flow with what the person pasted: the code, or the whole address the browser was sent to. */
  async complete(flowId: string, pasted: string): Promise<OAuthConnected> {
    const flow = this.#waitingFlow(flowId)
    let code: string
    try {
      code = readPastedCode(pasted, flow.state)
    } catch (error) {
      // The flow still waits for a better paste; the refusal is recorded in Larder's words (never what was pasted).
      this.#record({ action: 'authorized', libraryId: null, libraryName: flow.name, outcome: 'error', detail: `paste refused: ${flowEndDetail(error)}` })
      throw error
    }
    return this.#exchange(flow, code)
  }

  /** Resolves when the flow finishes (for a loopback flow: when the browser comes back and the code is exchanged). */
  async wait(flowId: string): Promise<OAuthConnected> {
    this.#prune()
    const flow = this.#flows.get(flowId)
    if (!flow) throw unknownFlow()
    return flow.outcome
  }

  /** Gives up on a flow: its loopback listener closes and a code that still arrives is not used. */
  cancel(flowId: string): boolean {
    const flow = this.#flows.get(flowId)
    if (!flow || flow.status !== 'waiting') return false
    this.#end(flow, new InputError('flowId', 'This authorization was cancelled'))
    return true
  }

  /** Closes every loopback listener. */
  async close(): Promise<void> {
    this.#closed = true
    for (const flow of this.#flows.values()) if (flow.status === 'waiting') this.#end(flow, new InputError('flowId', 'Larder closed before the authorization finished'))
    await Promise.all([...this.#flows.values()].flatMap((flow) => (flow.catcher === null ? [] : [flow.catcher.close()])))
    this.#flows.clear()
  }

  /** Flows still waiting for their answer (for tests and the UI). */
  pending(): number {
    this.#prune()
    return [...this.#flows.values()].filter((flow) => flow.status === 'waiting').length
  }

  async #caught(flow: Flow, result: LoopbackOutcome): Promise<void> {
    if (flow.status !== 'waiting') return
    switch (result.kind) {
      case 'code':
        // The code lives one minute: exchange it now, whoever is waiting.
        await this.#exchange(flow, result.code).catch(() => undefined)
        return
      case 'error':
        this.#end(
          flow,
          new ApiError(
            'forbidden',
            result.error === 'access_denied'
              ? 'The authorization was declined in Apicbase (access_denied). Nothing was saved; start again and approve it.'
              : `Apicbase answered the authorization with ${result.error} instead of a code. Nothing was saved; start again.`
          )
        )
        return
      case 'timeout':
        this.#end(flow, new ApiError('timeout', `No answer came back from Apicbase within ${Math.round(this.#lifetimeMs / 60_000)} minutes. Nothing was saved; start again.`))
        return
      case 'closed':
        return
    }
  }

  async #exchange(flow: Flow, code: string): Promise<OAuthConnected> {
    flow.status = 'exchanging'
    void flow.catcher?.close()
    const target = { baseUrl: flow.apiBaseUrl, libraryName: flow.name, rateKey: `oauth:${flow.id}` }
    let response: TokenResponse
    try {
      response = await this.#client.exchangeCode(target, { clientId: flow.clientId, clientSecret: flow.clientSecret }, code, flow.redirectUri, flow.codeVerifier)
    } catch (error) {
      const explained = explainExchangeFailure(error)
      this.#end(flow, explained)
      throw explained
    }
    try {
      const added = await this.#store({
        name: flow.name,
        apiBaseUrl: flow.apiBaseUrl,
        clientId: flow.clientId,
        clientSecret: flow.clientSecret,
        response,
        via: `through OAuth (${flow.redirectUri === null ? 'pasted code' : 'loopback redirect'})`
      })
      if (flow.timer !== null) this.#clock.clearTimeout(flow.timer)
      flow.timer = null
      flow.status = 'finished'
      this.#record({ action: 'authorized', libraryId: added.library.id, libraryName: added.library.name, outcome: 'ok', detail: `personal token connected ${flow.redirectUri === null ? 'with a pasted code' : 'through the loopback redirect'}` })
      const connection = this.#onConnected?.(added) ?? added.library
      const connected: OAuthConnected = { connection, activeLibrary: added.found, notes: notesFor(response.scopes) }
      flow.succeed(connected)
      return connected
    } catch (error) {
      this.#end(flow, error)
      throw error
    }
  }

  #waitingFlow(flowId: string): Flow {
    this.#prune()
    const flow = this.#flows.get(flowId)
    if (!flow) throw unknownFlow()
    if (flow.status === 'exchanging') throw new InputError('flowId', 'This authorization is being completed already')
    if (flow.status === 'finished') throw new InputError('flowId', 'This authorization is finished; start again to connect another token')
    return flow
  }

  #end(flow: Flow, error: unknown): void {
    if (flow.timer !== null) this.#clock.clearTimeout(flow.timer)
    flow.timer = null
    if (flow.status === 'finished') return
    flow.status = 'finished'
    this.#record({ action: 'authorized', libraryId: null, libraryName: flow.name, outcome: 'error', detail: flowEndDetail(error) })
    flow.fail(error)
    void flow.catcher?.close()
  }

  /** Forgets flows past their lifetime (a waiting one fails: nobody came back in time). */
  #prune(): void {
    const now = this.#clock.now()
    for (const flow of [...this.#flows.values()]) {
      if (now < flow.expiresAt) continue
      this.#end(flow, new ApiError('timeout', `No authorization came back within ${Math.round(this.#lifetimeMs / 60_000)} minutes of starting it. Nothing was saved; start again.`))
      this.#flows.delete(flow.id)
    }
  }
}

/** The flow's own refusals are Larder's fixed sentences; anything else is described by kind only. */
function flowEndDetail(error: unknown): string {
  return error instanceof InputError && (error.field === 'flowId' || error.field === 'code') ? error.message : auditFailureDetail(error)
}

function unknownFlow(): InputError {
  return new InputError('flowId', 'Larder has no such authorization waiting (it finished, was cancelled, or is older than 10 minutes); start again')
}

function abandoned(): InputError {
  return new InputError('flowId', 'This authorization was replaced by a newer one')
}

interface CheckedStart {
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
  readonly apiBaseUrl: string
  readonly redirect: RedirectMode
}

function checkStart(input: OAuthStartInput, defaultApiBaseUrl: () => string): CheckedStart {
  if (typeof input !== 'object' || input === null) throw new InputError('input', 'The authorization details must be an object')
  const redirect = input.redirect
  if (redirect !== 'paste' && redirect !== 'loopback') throw new InputError('redirect', "redirect must be 'paste' or 'loopback'")
  const name = input.name === undefined || input.name.trim() === '' ? DEFAULT_CONNECTION_NAME : displayName('name', input.name)
  const base = typeof input.apiBaseUrl === 'string' && input.apiBaseUrl.trim() !== '' ? input.apiBaseUrl.trim() : defaultApiBaseUrl()
  const checked = {
    name,
    clientId: pastedOpaque('clientId', 'Client ID', input.clientId, 256),
    clientSecret: pastedOpaque('clientSecret', 'Client secret', input.clientSecret, 512),
    scopes: checkScopes(input.scopes),
    apiBaseUrl: normalizeApiBaseUrl(base),
    redirect
  }
  // Before Larder opens its authorization page or sends the secret there: a host that is not Apicbase's is confirmed.
  requireTrustedApiHost(checked.apiBaseUrl, input.confirmedHost)
  return checked
}

function checkScopes(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError('scopes', "Choose at least one scope (Apicbase's are 'accounts' and 'library')")
  const scopes: string[] = []
  value.forEach((raw: unknown, index) => {
    const scope = typeof raw === 'string' ? raw.trim() : raw
    if (typeof scope !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(scope)) {
      throw new InputError(`scopes[${index}]`, 'A scope is one word, like accounts or library')
    }
    if (!scopes.includes(scope)) scopes.push(scope)
  })
  if (scopes.length > 20) throw new InputError('scopes', 'Too many scopes')
  return scopes
}

function explainExchangeFailure(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error
  if (error.kind === 'invalid_grant') return new ApiError('invalid_grant', CODE_EXPIRED_MESSAGE, { status: error.status })
  if (error.kind === 'invalid_client') {
    return new ApiError('invalid_client', 'Apicbase rejected the client ID or client secret of this application. Check both; nothing was saved. Start again.', { status: error.status })
  }
  const retry = error.maybeCommitted ? ' The code may have been used already; start again.' : ' Start again.'
  return new ApiError(error.kind, `${error.message} Nothing was saved.${retry}`, {
    status: error.status,
    maybeCommitted: error.maybeCommitted,
    ...(error.retryAt === undefined ? {} : { retryAt: error.retryAt })
  })
}

function notesFor(scopes: readonly string[]): string[] {
  const notes: string[] = []
  if (!scopes.includes('accounts')) {
    notes.push("This token lacks the 'accounts' scope: Larder cannot list its user's libraries or switch between them, so it acts on whichever library its user has active.")
  }
  return notes
}
