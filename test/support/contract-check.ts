// The contract, enforced on everything the tests see: every handler answer and every emitted event is parsed with
// its schema, and a mismatch fails the test at once (a field the contract does not have — a secret, say — included,
// since view schemas are strict). The harnesses and the browser host wrap the app with these.
import { bridgeErrorSchema, calls, events as eventSchemas, type CallName, type EventName, type EventPayloads } from '../../src/shared/contract.ts'
import type { Handlers } from '../../src/main/app/handlers.ts'
import type { EventStream } from '../../src/main/app/event-stream.ts'

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation'
}

function describeIssues(error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

/** Throws a ContractViolation unless `result` is what the contract says `name` answers. */
export function checkResult(name: CallName, result: unknown): void {
  const shape = result as { ok?: unknown; value?: unknown; error?: unknown }
  if (shape?.ok === true) {
    const parsed = calls[name].output.safeParse(shape.value)
    if (!parsed.success) throw new ContractViolation(`${name} answered outside its contract: ${describeIssues(parsed.error)}`)
  } else if (shape?.ok === false) {
    const parsed = bridgeErrorSchema.safeParse(shape.error)
    if (!parsed.success) throw new ContractViolation(`${name} refused outside the contract: ${describeIssues(parsed.error)}`)
  } else {
    throw new ContractViolation(`${name} answered something that is not a call result`)
  }
}

export function checkEvent(name: EventName, payload: unknown): void {
  const parsed = eventSchemas[name].safeParse(payload)
  if (!parsed.success) throw new ContractViolation(`event ${name} is outside its contract: ${describeIssues(parsed.error)}`)
}

/** The same handlers, each answer checked. */
export function checkedHandlers(handlers: Handlers): Handlers {
  const checked: Partial<Record<CallName, (input: unknown) => Promise<unknown>>> = {}
  for (const name of Object.keys(calls) as CallName[]) {
    checked[name] = async (input) => {
      const result = await handlers[name](input)
      checkResult(name, result)
      return result
    }
  }
  return checked as Handlers
}

export interface LoggedEvent<E extends EventName = EventName> {
  readonly name: E
  readonly payload: EventPayloads[E]
}

export interface EventLog {
  readonly all: readonly LoggedEvent[]
  /** Payloads of one event, in order. */
  of<E extends EventName>(name: E): EventPayloads[E][]
  clear(): void
  dispose(): void
}

/** Records every event of the stream, checking each against the contract as it is emitted. */
export function checkEvents(stream: Pick<EventStream, 'onAny'>): EventLog {
  const all: LoggedEvent[] = []
  const dispose = stream.onAny((name, payload) => {
    checkEvent(name, payload)
    all.push({ name, payload } as LoggedEvent)
  })
  return {
    all,
    of: <E extends EventName>(name: E) => all.filter((event) => event.name === name).map((event) => event.payload as EventPayloads[E]),
    clear: () => void all.splice(0),
    dispose
  }
}
