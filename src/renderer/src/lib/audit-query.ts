// The audit view's filters as the person sets them, turned into a query for `audit.page` / `audit.exportCsv`.
import type { AuditAction, AuditQuery } from '../../../shared/contract.ts'

export interface AuditFilter {
  readonly libraryId: string
  readonly action: AuditAction | ''
  /** Values of <input type="datetime-local">: local time, "" when not set. */
  readonly since: string
  readonly until: string
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { libraryId: '', action: '', since: '', until: '' }

/** A datetime-local value as ms since the epoch (local time), or undefined when empty or unreadable. */
export function localInputToMs(value: string): number | undefined {
  if (value.trim() === '') return undefined
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

export type AuditFilterQuery = Omit<AuditQuery, 'before' | 'limit'>

export function toAuditQuery(filter: AuditFilter): AuditFilterQuery {
  const since = localInputToMs(filter.since)
  // "Until 14:30" includes the whole of that minute.
  const untilStart = localInputToMs(filter.until)
  const until = untilStart === undefined ? undefined : untilStart + 59_999
  return {
    ...(filter.libraryId === '' ? {} : { libraryId: filter.libraryId }),
    ...(filter.action === '' ? {} : { action: filter.action }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until })
  }
}

export function csvFileName(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `larder-audit-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`
}
