// Reading the audit trail a page at a time, and exporting it (filtered) as CSV; the export itself is audited.
import { ignoreAuditFailure, toCsv, withFacts, type AuditEntry, type AuditQuery } from '../../core/audit/index.ts'
import type { LarderCore } from '../../core/larder-core.ts'

export type AuditTrailPorts = Pick<LarderCore, 'audit'>
/** The vault says which library an older entry was about (its Apicbase library, token type and personal token). */
export type AuditExportPorts = Pick<LarderCore, 'audit' | 'vault'>

const EXPORT_PAGE = 500
const EXPORT_MAX_PAGES = 1000

export function auditPage(ports: AuditTrailPorts, query: AuditQuery): ReturnType<LarderCore['audit']['page']> {
  return ports.audit.page(query)
}

export async function exportAuditCsv(ports: AuditExportPorts, filter: Omit<AuditQuery, 'before' | 'limit'>): Promise<{ csv: string; rows: number }> {
  const entries: AuditEntry[] = []
  for (let before: number | undefined, page = 0; page < EXPORT_MAX_PAGES; page++) {
    const result = await ports.audit.page({ ...filter, limit: EXPORT_PAGE, ...(before === undefined ? {} : { before }) })
    entries.push(...result.entries)
    if (result.nextBefore === null) break
    before = result.nextBefore
  }
  ports.audit.append({ action: 'exported', libraryId: filter.libraryId ?? null, libraryName: null, outcome: 'ok', detail: `audit CSV, ${entries.length} rows` }).catch(ignoreAuditFailure)
  return { csv: toCsv(withFacts(entries, ports.vault)), rows: entries.length }
}
