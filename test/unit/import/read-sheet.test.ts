// Reading an import file into rows: the CSV a spreadsheet or a person writes (a BOM, CRLF, quoted fields with commas
// and line breaks, blank lines, ';' exports), JSON (a list, or {rows}), and the files refused as a whole with a
// message that names what to fix and never quotes what the file holds.
import { describe, expect, it } from 'vitest'
import { IMPORT_MAX_ROWS } from '../../../src/shared/contract/import.ts'
import { columnOf, detectFormat, ImportFileError, readSheet } from '../../../src/main/core/estate/import/index.ts'

const SECRET = 'rt_9f8e7d6c5b4a39281706'

function refusal(read: () => unknown): ImportFileError {
  try {
    read()
  } catch (error) {
    if (error instanceof ImportFileError) return error
    throw error
  }
  throw new Error('the file was read')
}

describe('CSV', () => {
  it('reads a BOM, CRLF, quoted commas and line breaks, blank and empty rows, and says where each row starts', () => {
    const text = '\uFEFFName,Client ID,refresh_token,Notes\r\n"Café, Zuid",c1,r1,\r\n\r\nBistro,c2,r2,"two\r\nlines"\r\n,,,\r\nNord,c3,r3,\r\n\r\n\r\n'
    const sheet = readSheet(text, 'csv')
    expect(sheet.columns).toEqual(['name', 'clientId', 'refreshToken', 'notes'])
    expect(sheet.rows.map((row) => [row.row, row.line, row.cells])).toEqual([
      [1, 2, { name: 'Café, Zuid', clientId: 'c1', refreshToken: 'r1' }],
      [2, 4, { name: 'Bistro', clientId: 'c2', refreshToken: 'r2', notes: 'two\r\nlines' }],
      [3, 7, { name: 'Nord', clientId: 'c3', refreshToken: 'r3' }]
    ])
  })

  it("reads a spreadsheet's ';' export and tab-separated text", () => {
    expect(readSheet('name;token;system\nA;t,1;airtable\n', 'csv').rows[0]?.cells).toEqual({ name: 'A', token: 't,1', system: 'airtable' })
    expect(readSheet('name\ttoken\nA\tt1\n', 'csv').rows[0]?.cells).toEqual({ name: 'A', token: 't1' })
  })

  it('reads headers in any case, with spaces, underscores, hyphens or camelCase', () => {
    for (const header of ['API base URL', 'api_base_url', 'Api-Base-Url', 'apiBaseUrl', ' API  BASE url ']) expect(columnOf(header), header).toBe('apiBaseUrl')
    expect(columnOf('clientID')).toBe('clientId')
    expect(columnOf('Organization')).toBe('organisation')
  })

  it('marks a row with more fields than the header, without refusing the file', () => {
    const sheet = readSheet('name,token\nA,t1,oops\nB,t2\n', 'csv')
    expect(sheet.rows[0]?.unreadable).toMatch(/3 fields; the header has 2/)
    expect(sheet.rows[1]?.unreadable).toBeNull()
  })

  it('refuses unknown columns by name, and a nameless column that holds values', () => {
    const unknown = refusal(() => readSheet('name,token,Colour,Created at\nA,t,red,2026\n', 'csv'))
    expect(unknown.field).toBe('file')
    expect(unknown.message).toMatch(/Unknown columns: "Colour", "Created at"/)
    expect(refusal(() => readSheet('name,,token\nA,x,t\n', 'csv')).message).toMatch(/column 2 \(no name\)/)
    // A trailing delimiter on every line (an empty last column) is fine.
    expect(readSheet('name,token,\nA,t,\n', 'csv').rows[0]?.cells).toEqual({ name: 'A', token: 't' })
  })

  it('never quotes a header that could be a secret, nor a first line that is data', () => {
    const pasted = refusal(() => readSheet(`name,token,${SECRET}\nA,t,x\n`, 'csv'))
    expect(pasted.message).toMatch(/Unknown column: column 3/)
    expect(pasted.message).not.toContain(SECRET)
    const noHeader = refusal(() => readSheet(`Acme,${SECRET},c1\nB,x,y\n`, 'csv'))
    expect(noHeader.message).toMatch(/first line is not a header/)
    expect(noHeader.message).not.toContain(SECRET)
  })

  it('refuses columns that name the same field', () => {
    expect(refusal(() => readSheet('token,API key\nt,u\n', 'csv')).message).toMatch(/"API key" and "token"/)
  })

  it('refuses broken quoting by line, without quoting the file', () => {
    const open = refusal(() => readSheet(`name,token\nA,"${SECRET}\n`, 'csv'))
    expect(open.message).toMatch(/at line 2: a quoted field is never closed/)
    const inner = refusal(() => readSheet(`name,token\nA,x"${SECRET}"\n`, 'csv'))
    expect(inner.message).toMatch(/at line 2: a quote appears inside a field/)
    for (const error of [open, inner]) expect(error.message).not.toContain(SECRET)
  })

  it('refuses a file with a header and no rows, and one with too many rows', () => {
    expect(refusal(() => readSheet('name,token\r\n\r\n', 'csv')).message).toMatch(/no rows/)
    const many = `name\n${'a\n'.repeat(IMPORT_MAX_ROWS + 1)}`
    expect(refusal(() => readSheet(many, 'csv')).message).toMatch(/100,001 rows; an import takes at most 100,000/)
  })
})

describe('JSON', () => {
  it('reads a list of rows and {rows: [...]}, with field names or the columns of the CSV', () => {
    const rows = [{ name: 'A', clientId: 'c1', 'Refresh token': 'r1', scopes: ['a', 'b'], keepAlive: true, expires: 0, notes: null }]
    for (const text of [JSON.stringify(rows), JSON.stringify({ rows })]) {
      const sheet = readSheet(text, 'json')
      expect(sheet.rows).toEqual([{ row: 1, line: null, cells: { name: 'A', clientId: 'c1', refreshToken: 'r1', scopes: ['a', 'b'], keepAlive: true, expires: 0 }, unreadable: null }])
    }
  })

  it('marks an element that is not an object, or holds an object where a value goes', () => {
    const sheet = readSheet(JSON.stringify([1, { name: { first: 'A' } }, { name: 'B' }]), 'json')
    expect(sheet.rows.map((row) => row.unreadable)).toEqual([expect.stringMatching(/not an object/), expect.stringMatching(/name holds a value no field takes/), null])
  })

  it('refuses invalid JSON by position only, and JSON of another shape', () => {
    const broken = refusal(() => readSheet(`[{"name": "A", "token": ${SECRET}}]`, 'json'))
    expect(broken.message).toMatch(/not valid JSON/)
    expect(broken.message).not.toContain(SECRET)
    expect(refusal(() => readSheet('{"libraries": []}', 'json')).message).toMatch(/list of rows/)
    expect(refusal(() => readSheet('[{"name": "A", "colour": "red"}]', 'json')).message).toMatch(/Unknown column: "colour"/)
  })
})

describe('the format', () => {
  it('is the one asked, else the extension, else the first character', () => {
    expect(detectFormat('[', 'a.csv', 'json')).toBe('json')
    expect(detectFormat('name', 'export.JSON')).toBe('json')
    expect(detectFormat('[', 'export.csv')).toBe('csv')
    expect(detectFormat('\uFEFF  {"rows": []}', 'export')).toBe('json')
    expect(detectFormat('name,token', 'export')).toBe('csv')
  })
})
