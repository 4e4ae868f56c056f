// The status a person sees for a key, in the list's words plus 'inactive' (a key that ends by not being used), from
// its record, its system's rule and the clock. Plain functions, no I/O.
import { KEY_SYSTEMS } from '../systems/registry.ts'
import type { KeyTimeline } from '../systems/system.ts'
import type { KeyMeta } from './key-model.ts'

import { KEY_STATUSES } from '../../../shared/contract/words.ts'

export { KEY_STATUSES }
export type KeyStatus = (typeof KEY_STATUSES)[number]

/** The key's timeline by its system's rule; a state the admin set ('expired') ends it whatever the rule says. */
export function keyTimeline(meta: KeyMeta): KeyTimeline {
  const facts = { addedAt: meta.addedAt, lastUsedAt: meta.lastUsedAt }
  switch (meta.system) {
    case 'safetyculture':
      return KEY_SYSTEMS.safetyculture.timeline({ ...facts, details: meta.details })
    case 'airtable':
      return KEY_SYSTEMS.airtable.timeline({ ...facts, details: meta.details })
    case 'service_token':
      return KEY_SYSTEMS.service_token.timeline({ ...facts, details: meta.details })
  }
}

/**
 * - 'revoked': revoked or deleted by its admin (nothing to do in Larder but remove it or restore it);
 * - 'expired' / 'inactive': past its date, or past 30 days without use: the system refuses it now;
 * - 'needs_reauth': the last check was refused: a new token is needed (or, Airtable, the regenerated value pasted);
 * - 'error': the last check was forbidden (a scope missing) or could not be made;
 * - 'expiring_soon': inside the warning its rule sets (day 23 of 30 unused; a week before an expiry date).
 */
export function deriveKeyStatus(meta: KeyMeta, now: number, timeline: KeyTimeline = keyTimeline(meta)): KeyStatus {
  if (meta.state === 'revoked' || meta.state === 'deleted') return 'revoked'
  if (meta.state === 'expired') return 'expired'
  if (timeline.expiresAt !== null && now >= timeline.expiresAt) return timeline.byInactivity ? 'inactive' : 'expired'
  const check = meta.lastCheck
  if (check?.outcome === 'refused') return 'needs_reauth'
  if (check?.outcome === 'forbidden' || check?.outcome === 'unreachable') return 'error'
  if (timeline.warnFrom !== null && now >= timeline.warnFrom) return 'expiring_soon'
  return 'healthy'
}

/** Whether the token may be copied or handed to a script: never once revoked, expired, inactive or refused. */
export function keyUsable(status: KeyStatus): boolean {
  return status === 'healthy' || status === 'expiring_soon' || status === 'error'
}

/** The next time the status may change with nothing happening: the warning, then the end. */
export function nextKeyBoundary(meta: KeyMeta, now: number, timeline: KeyTimeline = keyTimeline(meta)): number | null {
  for (const at of [timeline.warnFrom, timeline.expiresAt]) if (at !== null && at > now) return at
  return null
}
