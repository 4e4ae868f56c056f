// What a window may see of a key of a system kept as given: its record, its status and timeline by its system's rule,
// whether its record was changed outside Larder, and what a person may do with it now. Never its token (the view
// schema is strict: the tests parse every view with it).
import type { KeyActionView, KeyView } from '../../shared/contract.ts'
import { KEY_STATES as VIEW_KEY_STATES, KEY_VIEW_ACTIONS } from '../../shared/contract/words.ts'
import type { KeyMeta, KeyState } from '../core/keys/key-model.ts'
import { deriveKeyStatus, keyTimeline, keyUsable } from '../core/keys/key-status.ts'
import { keySystemOf } from '../core/systems/registry.ts'
import type { KeyAction } from '../core/systems/system.ts'

/** What the view needs of the vault: whether a key's record was refused (changed outside Larder). */
export interface KeyViewSource {
  keyRefusal(id: string): unknown
}

// The contract's lists are the core's (a state or action added to one and not the other fails to compile).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const statesMatch: Same<(typeof VIEW_KEY_STATES)[number], KeyState> = true
void statesMatch

/** A system's actions that fit each state; the rest of its actions wait for another state. */
const ACTIONS_IN_STATE: Readonly<Record<KeyState, ReadonlySet<KeyAction>>> = {
  active: new Set(['check', 'regenerate', 'revoke', 'keep_alive', 'mark_used', 'set_expiry']),
  revoked: new Set(['restore', 'delete']),
  expired: new Set(['delete']),
  deleted: new Set()
}

function isViewAction(action: string): action is KeyActionView {
  return (KEY_VIEW_ACTIONS as readonly string[]).includes(action)
}

export function toKeyView(meta: KeyMeta, now: number, source: KeyViewSource): KeyView {
  const system = keySystemOf(meta.system)
  const timeline = keyTimeline(meta)
  const tampered = source.keyRefusal(meta.id) !== undefined
  // A record changed outside Larder is refused for everything but removal (as a library's).
  const status = tampered ? 'error' : deriveKeyStatus(meta, now, timeline)
  const actions: KeyActionView[] = []
  if (!tampered) {
    if (keyUsable(status)) actions.push('copy')
    for (const action of system.actions) {
      if (!ACTIONS_IN_STATE[meta.state].has(action) || !isViewAction(action)) continue
      if (action === 'check' && system.checkWith(meta.details) === null) continue
      actions.push(action)
    }
  }
  const common = {
    id: meta.id,
    name: meta.name,
    customer: meta.customer,
    notes: meta.notes,
    state: meta.state,
    status,
    addedAt: meta.addedAt,
    lastUsedAt: meta.lastUsedAt,
    lastCheck: meta.lastCheck === null ? null : { ...meta.lastCheck, identity: meta.lastCheck.identity === null ? null : { ...meta.lastCheck.identity } },
    history: meta.history.map((item) => ({ at: item.at, event: item.event })),
    tokenPreview: meta.tokenPreview,
    expiresAt: timeline.expiresAt,
    warnFrom: timeline.warnFrom,
    byInactivity: timeline.byInactivity,
    tampered,
    actions
  }
  switch (meta.system) {
    case 'safetyculture':
      return { ...common, system: meta.system, details: meta.details }
    case 'airtable':
      return { ...common, system: meta.system, details: meta.details }
    case 'service_token':
      return { ...common, system: meta.system, details: meta.details }
  }
}
