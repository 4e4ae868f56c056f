// A stand-in for Larder on the other side of the bridge, in plain Node: answers calls (defaults for the usual
// questions, or what a test sets), records them, and emits events when a test says so. It is both the page's
// bridge (LarderBridge, for tests of the bridge client) and a BridgeClient a store can be built on directly.
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge, LibraryView, Settings, VaultState } from '../../../src/shared/contract.ts'
import type { BridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import type { Scheduler } from '../../../src/renderer/src/store/connect.ts'

export type Answer = (input: unknown) => CallResult<CallName> | Promise<CallResult<CallName>>

export const SETTINGS: Settings = {
  expiringSoonMs: 172_800_000,
  refreshAheadMs: 86_400_000,
  copyFreshnessMarginMs: 600_000,
  clipboardClearMs: 30_000,
  notifications: { expiring: true, failed: true, needsReauth: true },
  defaultApiBaseUrl: 'https://api.apicbase.com'
}

export class FakeBridge implements LarderBridge, BridgeClient {
  readonly host = 'browser' as const
  readonly connected = true
  readonly calls: { name: CallName; input: unknown }[] = []
  readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  answers: Partial<Record<CallName, Answer>> = {}
  /** Whole views: 'libraries.list' answers their rows, 'libraries.get' one of them. */
  libraries: LibraryView[] = []
  vault: VaultState = { state: 'open', cipher: 'keychain' }

  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
    this.calls.push({ name, input })
    const answer = this.answers[name]
    if (answer) return Promise.resolve(answer(input)) as Promise<CallResult<N>>
    const defaults: Partial<Record<CallName, unknown>> = {
      'app.info': { name: 'Larder', version: '1', host: 'browser' },
      'vault.state': this.vault,
      'libraries.list': this.libraries.map(listViewOf),
      'settings.get': SETTINGS
    }
    if (name === 'libraries.get') {
      const id = (input as CallInput<'libraries.get'>).id
      const library = this.libraries.find((view) => view.id === id)
      return Promise.resolve((library ? { ok: true, value: library } : { ok: false, error: { kind: 'invalid_input', field: 'id', message: `No library with id "${id}"` } }) as CallResult<N>)
    }
    if (name in defaults) return Promise.resolve({ ok: true, value: defaults[name] } as CallResult<N>)
    return Promise.resolve({ ok: false, error: { kind: 'internal', message: `no answer for ${name}` } })
  }

  /** The inputs of every call of one name, in order. */
  inputsOf(name: CallName): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input)
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    this.listeners.set(event, set)
    const wrapped = (payload: unknown): void => listener(payload as EventPayloads[E])
    set.add(wrapped)
    return () => set.delete(wrapped)
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload)
  }
}

/** Runs scheduled flushes only when the test says so. */
export class ManualScheduler implements Scheduler {
  queued: (() => void)[] = []
  schedule(callback: () => void): void {
    this.queued.push(callback)
  }
  run(): void {
    const queued = this.queued
    this.queued = []
    for (const callback of queued) callback()
  }
}
