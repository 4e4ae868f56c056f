// The audit view's filters as the person sets them, turned into a query for `audit.page` / `audit.exportCsv`.
import type { AuditAction, AuditQuery } from '../../../shared/contract.ts'

export interface AuditFilter {
  readonly libraryId: string
  readonly action: AuditAction | ''
  /** Values of <input type="datetime-local">: local time, "" when not set. */
  readonly since: string
  readonly until: string
  /** A team's trail only: one member's entries (absent or "" for every member's). */
  readonly memberId?: string
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { libraryId: '', action: '', since: '', until: '', memberId: '' }

/** A datetime-local value as ms since the epoch (local time), or undefined when empty or unreadable. */
export function localInputToMs(value: string): number | undefined {
  if (value.trim() === '') return undefined
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

export type AuditFilterQuery = Omit<AuditQuery, 'before' | 'limit'>

/** `inTeam`: the member filter goes only to a vault in a team (a local trail has no members and refuses it). */
export function toAuditQuery(filter: AuditFilter, inTeam = false): AuditFilterQuery {
  const since = localInputToMs(filter.since)
  // "Until 14:30" includes the whole of that minute.
  const untilStart = localInputToMs(filter.until)
  const until = untilStart === undefined ? undefined : untilStart + 59_999
  return {
    ...(filter.libraryId === '' ? {} : { libraryId: filter.libraryId }),
    ...(filter.action === '' ? {} : { action: filter.action }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(filter.memberId === undefined || filter.memberId === '' || !inTeam ? {} : { memberId: filter.memberId })
  }
}

export function csvFileName(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `larder-audit-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`
}
