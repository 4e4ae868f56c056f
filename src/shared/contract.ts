// The bridge contract: every call the renderer may make and every event it may receive, each with a runtime schema
// for its input and its output, defined once under ./contract/. Main validates against it, preload exposes exactly
// it, the renderer takes its types from it, and the tests check every answer and event against it. Nothing here
// may ever carry a secret.
import type { CallName } from './contract/calls.ts'
import type { EventName } from './contract/events.ts'
import { CALL_NAMES, EVENT_NAMES } from './names.ts'

export * from './contract/vocabulary.ts'
export * from './contract/views.ts'
export * from './contract/inputs.ts'
export * from './contract/calls.ts'
export * from './contract/events.ts'
export * from './contract/bridge.ts'
export * from './contract/terminal.ts'
export * from './contract/keys.ts'
export * from './contract/estate.ts'
export * from './contract/team.ts'
export * from './contract/import.ts'
export * from './contract/lock.ts'

// The plain name lists (used by the preload) and the schemas must name the same calls and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const callNamesMatch: Same<(typeof CALL_NAMES)[number], CallName> = true
const eventNamesMatch: Same<(typeof EVENT_NAMES)[number], EventName> = true
void callNamesMatch
void eventNamesMatch
