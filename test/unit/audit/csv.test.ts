import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../../src/main/core/audit/audit-entry.ts'
import { csvCell, toCsv } from '../../../src/main/core/audit/csv.ts'

const at = Date.UTC(2025, 4, 6, 7, 8, 9)

/** A small RFC 4180 reader, to check the output parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated row per entry', () => {
    const entries: AuditEntry[] = [
      { seq: 2, at, action: 'copied', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'ok' },
      { seq: 1, at, action: 'restored', libraryId: null, libraryName: null, outcome: 'ok', detail: 'from backup' }
    ]
    expect(toCsv(entries)).toBe(
      'seq,time,action,libraryId,apicbaseLibraryId,libraryName,tokenType,via,outcome,detail\r\n' +
        '2,2025-05-06T07:08:09.000Z,copied,lib-1,,Pasta Palace,,,ok,\r\n' +
        '1,2025-05-06T07:08:09.000Z,restored,,,,,,ok,from backup\r\n'
    )
  })

  it('quotes cells with commas, quotes and line breaks so they read back unchanged', () => {
    const tricky = 'Bread, "Butter" & Co\nsecond line\r\nthird'
    const csv = toCsv([{ seq: 1, at, action: 'failed', libraryId: 'lib-1', libraryName: tricky, outcome: 'error', detail: 'a,b' }])
    expect(csv).toContain('"Bread, ""Butter"" & Co\nsecond line\r\nthird"')
    const rows = parseCsv(csv)
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(['1', '2025-05-06T07:08:09.000Z', 'failed', 'lib-1', '', tricky, '', '', 'error', 'a,b'])
  })

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","click")')).toBe(`"'=HYPERLINK(""http://evil"",""click"")"`)
    expect(csvCell('+1+1')).toBe("'+1+1")
    expect(csvCell('-2+3')).toBe("'-2+3")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=1')).toBe("'\t=1")
    expect(csvCell('\r=1')).toBe(`"'\r=1"`)
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a = b')).toBe('a = b')
    const rows = parseCsv(toCsv([{ seq: 1, at, action: 'added', libraryId: '@lib', libraryName: '=cmd|calc', outcome: 'ok', detail: '-x' }]))
    expect(rows[1]?.slice(3)).toEqual(["'@lib", '', "'=cmd|calc", '', '', 'ok', "'-x"])
  })

  it('says which library a row was: the Apicbase library id, the token type and the personal token it went through', () => {
    const rows = parseCsv(
      toCsv([
        { seq: 2, at, action: 'copied', libraryId: 'e-1', libraryName: 'Trattoria Oost', outcome: 'ok', apicbaseLibraryId: '1003', tokenType: 'personal', via: '=Pat' },
        { seq: 1, at, action: 'refreshed', libraryId: 'sa-1', libraryName: 'Trattoria Oost', outcome: 'ok', apicbaseLibraryId: '1003', tokenType: 'service_account' }
      ])
    )
    expect(rows[1]?.slice(3, 8)).toEqual(['e-1', '1003', 'Trattoria Oost', 'personal', "'=Pat"])
    expect(rows[2]?.slice(3, 8)).toEqual(['sa-1', '1003', 'Trattoria Oost', 'service_account', ''])
  })
})
