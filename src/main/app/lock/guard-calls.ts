// While the app lock is on, a window gets nothing of a library or key: every bridge call but the lock's own,
// 'vault.state' and 'app.info' answers kind 'locked', and a call that was running when Larder locked has its answer
// held back too. Events are held back the same way (create-app gives the event stream `passesWhileLocked`).
import { CALLS_WHILE_LOCKED, EVENTS_WHILE_LOCKED, type CallName, type EventName } from '../../../shared/contract.ts'
import type { Handler, Handlers } from '../handlers.ts'

export const LOCKED_MESSAGE = 'Larder is locked: unlock it to go on.'
const LOCKED = { ok: false, error: { kind: 'locked', message: LOCKED_MESSAGE } } as const

const answeredWhileLocked: ReadonlySet<string> = new Set(CALLS_WHILE_LOCKED)
const sentWhileLocked: ReadonlySet<string> = new Set(EVENTS_WHILE_LOCKED)

export function guardCalls(handlers: Handlers, guarded: () => boolean): Handlers {
  const table: Partial<Record<CallName, Handler<CallName>>> = {}
  for (const name of Object.keys(handlers) as CallName[]) {
    const handler = handlers[name] as Handler<CallName>
    table[name] = answeredWhileLocked.has(name)
      ? handler
      : async (input) => {
          if (guarded()) return LOCKED
          const answer = await handler(input)
          return guarded() ? LOCKED : answer
        }
  }
  return table as Handlers
}

/** Whether an event may go to a window now. */
export function passesWhileLocked(name: EventName, guarded: boolean): boolean {
  return !guarded || sentWhileLocked.has(name)
}
