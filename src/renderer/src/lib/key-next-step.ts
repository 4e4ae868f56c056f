// For a key of another system: where it stands and what a person does next, in plain words. Pure.
import type { KeyView } from '../../../shared/contract.ts'
import { formatExact } from './time.ts'

export interface KeyNextStep {
  readonly tone: 'info' | 'warning' | 'trouble'
  readonly title: string
  readonly text: string
}

/** Where a person makes a new SafetyCulture token: their own, or (a service user's) an admin's. */
function newSafetyCultureToken(key: Extract<KeyView, { system: 'safetyculture' }>): string {
  return key.details.kind === 'user'
    ? 'Make a new token in SafetyCulture: My Profile → Settings → API tokens, add it to Larder, then remove this one.'
    : `Ask an admin of ${key.details.organisation || 'the organisation'} to make a new token for the service user ${key.details.owner || ''} in SafetyCulture, add it to Larder, then remove this one.`
}

/** A refused check: Larder's own sentence (it names the likely causes) and what to do about it. */
function refused(key: KeyView): KeyNextStep {
  const said = key.lastCheck?.message ?? null
  switch (key.system) {
    case 'safetyculture':
      return {
        tone: 'trouble',
        title: 'SafetyCulture refused this token',
        text: `${said ?? 'SafetyCulture refused the token: the user may have been deactivated or left, the token revoked, or it went 30 days unused.'} ${newSafetyCultureToken(key)}`
      }
    case 'airtable':
      return {
        tone: 'trouble',
        title: 'Airtable refused this token',
        text: `${said ?? 'Airtable refused the token.'} The field below takes a regenerated value; the key keeps its name, notes and history.`
      }
    case 'service_token':
      return {
        tone: 'trouble',
        title: 'Its check address refused this token',
        text: `${said ?? 'The service refused the token.'} Ask the admin of ${key.details.serviceUser} what they did, and record it below.`
      }
  }
}

export function keyNextStep(key: KeyView): KeyNextStep | null {
  if (key.tampered) {
    return {
      tone: 'trouble',
      title: 'Changed outside Larder',
      text: `Its record in the vault is not the one Larder wrote, so Larder sends nothing for ${key.name} any more. Remove it and add the key again.`
    }
  }
  const until = key.expiresAt === null ? '' : formatExact(key.expiresAt)
  if (key.state === 'deleted') return { tone: 'info', title: 'Deleted by its admin', text: 'Nothing accepts it any more. Remove it from Larder when you no longer need its history.' }
  switch (key.status) {
    case 'healthy':
      return null
    case 'inactive':
      return {
        tone: 'trouble',
        title: 'Inactive: unused for 30 days',
        text: `SafetyCulture stops accepting a token nobody used for 30 days. ${key.system === 'safetyculture' ? newSafetyCultureToken(key) : 'Make a new one, add it to Larder, then remove this one.'}`
      }
    case 'expiring_soon':
      if (key.byInactivity) {
        return {
          tone: 'warning',
          title: `Unused for a while: it stops on ${until}`,
          text: 'SafetyCulture turns a token off after 30 days without use. Any use through Larder counts (Check now, a copy, larder token); if you used it elsewhere, press Used elsewhere just now.'
        }
      }
      return {
        tone: 'warning',
        title: `Expires on ${until}`,
        text: `Its admin set it to expire then. Ask ${key.system === 'service_token' ? `the admin of ${key.details.serviceUser}` : 'its admin'} for a new token before that date.`
      }
    case 'expired':
      return {
        tone: 'trouble',
        title: 'Expired',
        text: `Nothing accepts it any more. Ask ${key.system === 'service_token' ? `the admin of ${key.details.serviceUser}` : 'its admin'} for a new token, add it to Larder, then remove this one.`
      }
    case 'revoked':
      return {
        tone: 'info',
        title: 'Revoked by its admin',
        text: 'Larder no longer copies it or hands it to scripts. If the admin restored it, record Restored below; otherwise ask for a new token.'
      }
    case 'needs_reauth':
      return refused(key)
    case 'error':
      return {
        tone: 'warning',
        title: 'The last check did not get through',
        text: `${key.lastCheck?.message ?? 'Larder could not reach its system.'} Larder checks again on its own; Check now tries at once.`
      }
  }
}
