// The report a person saves: built from checked rows (never their cells), counted per status, its CSV safe to open in a
// spreadsheet (a name starting with = is not a formula), and no message repeating a secret of its row.
import { describe, expect, it } from 'vitest'
import { checkedRows, countRows, fitReport, redact, reportCsv, reportJson, summary, type PlannedRow } from '../../../src/main/core/estate/import/index.ts'

const SECRET = 'rt_live_0123456789abcdef'

function planned(row: number, name: string, status: PlannedRow['status'], message?: string): PlannedRow {
  return {
    row,
    line: row + 1,
    name,
    system: 'apicbase',
    status,
    problems: message === undefined ? [] : [{ field: 'refresh token', message }],
    hostToConfirm: null,
    request: status === 'ready' ? { system: 'apicbase', input: { refreshToken: SECRET } } : null,
    once: null,
    secrets: [SECRET]
  }
}

describe('the import report', () => {
  const rows = checkedRows([planned(1, '=HYPERLINK("x")', 'ready'), planned(2, 'Café, Zuid', 'spent', 'Larder already used this refresh token.'), planned(3, 'Nord', 'problem', 'The client ID is missing.')])
  const report = { importId: 'i1', fileName: 'estate.csv', format: 'csv' as const, dryRun: true, rows, counts: countRows(rows), hostsToConfirm: [], cancelled: false, startedAt: 0, finishedAt: 1000 }

  it('counts each status and says so in one line', () => {
    expect(report.counts).toEqual({ total: 3, ready: 1, imported: 0, failed: 0, problem: 1, duplicate: 0, spent: 1, cancelled: 0 })
    expect(summary(report.counts)).toBe('3 rows: 1 ready, 1 spent, 1 with problems')
  })

  it('saves as CSV a spreadsheet opens safely, and as JSON', () => {
    expect(reportCsv(report).split('\r\n')).toEqual([
      'row,line,name,system,status,field,message,host to confirm,larder id',
      `1,2,"'=HYPERLINK(""x"")",apicbase,ready,,,,`,
      '2,3,"Café, Zuid",apicbase,spent,refresh token,Larder already used this refresh token.,,',
      '3,4,Nord,apicbase,problem,refresh token,The client ID is missing.,,',
      ''
    ])
    expect(JSON.parse(reportJson(report))).toMatchObject({ fileName: 'estate.csv', dryRun: true, startedAt: '1970-01-01T00:00:00.000Z', rows: [{ row: 1 }, { row: 2 }, { row: 3 }] })
  })

  it('holds no secret, even one a check’s message would have repeated', () => {
    expect(redact(`Refused: ${SECRET} is not valid`, [SECRET])).toBe('Refused: … is not valid')
    expect(reportCsv(report) + reportJson(report)).not.toContain(SECRET)
  })
})

describe('a report too large for one terminal answer', () => {
  it('keeps within the size: shorter messages, then the rows that went well left out, then the last rows; the counts whole', () => {
    const long = 'A problem described at great length. '.repeat(20)
    const many = checkedRows(Array.from({ length: 100_000 }, (_, i) => planned(i + 1, `Customer ${i + 1}, Brasserie ${i % 97}`, i % 10 === 0 ? 'problem' : 'ready', i % 10 === 0 ? long : undefined)))
    const big = { importId: 'i2', fileName: 'big.csv', format: 'csv' as const, dryRun: true, rows: many, counts: countRows(many), hostsToConfirm: [], cancelled: false, startedAt: 0, finishedAt: 1 }
    const max = 2 * 1024 * 1024
    const fitted = fitReport(big, max)
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(max)
    expect(fitted.counts).toEqual(big.counts)
    expect(fitted.rows.every((row) => row.status === 'problem' && (row.message?.length ?? 0) <= 200)).toBe(true)
    expect(fitted.rows[0]?.row).toBe(1)
    expect((fitted.rowsLeftOut ?? 0) + fitted.rows.length).toBe(100_000)
    // A report that fits is answered as it is.
    const small = { ...big, rows: many.slice(0, 10), counts: countRows(many.slice(0, 10)) }
    expect(fitReport(small, max)).toBe(small)
  })
})
