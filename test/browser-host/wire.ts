// What the browser host sends over its socket, as text: a long list as rows (each key list once, then values), and
// JSON that is ASCII (a frame with any other character is a two-byte string in Chromium, slower to parse).

/** Lists at least this long go as rows (packedRows). */
export const PACK_ROWS_FROM = 64

export interface PackedRows {
  /** Each distinct key list of the list's objects, in its objects' own key order. */
  readonly shapes: readonly (readonly string[])[]
  /** Per object: the index of its key list, then its values in that order. */
  readonly rows: readonly (readonly unknown[])[]
  /**
   * When the answer was an object holding the list as its `rows` (a page of the list): its other fields, with `rows`
   * kept in its place as null so the rebuilt object has its keys in the same order. Absent when the answer was the list.
   */
  readonly rest?: Readonly<Record<string, unknown>>
}

/**
 * A successful answer that is a long list of plain objects (the libraries: 10,000 views are 6 MB of JSON, 40% of
 * it the same keys again and again), or an object holding one as its `rows` (a page of the list), as rows: each key
 * list once, then values only. web-bridge.ts rebuilds the same objects, keys in the same order. Null for any other
 * answer (sent as it is).
 */
export function packedRows(result: unknown): PackedRows | null {
  if (!isRecord(result) || result['ok'] !== true) return null
  const value = result['value']
  if (Array.isArray(value)) return packList(value)
  if (!isRecord(value) || !Array.isArray(value['rows']) || Object.hasOwn(value, '__proto__')) return null
  const packed = packList(value['rows'])
  return packed === null ? null : { ...packed, rest: { ...value, rows: null } }
}

function packList(list: unknown[]): PackedRows | null {
  // A "__proto__" key would be a prototype, not a field, when rebuilt: such a list goes as it is.
  if (list.length < PACK_ROWS_FROM || !list.every((item) => isRecord(item) && !Object.hasOwn(item, '__proto__'))) return null
  const shapes: string[][] = []
  const shapeIndex = new Map<string, number>()
  const rows = (list as Record<string, unknown>[]).map((item) => {
    // As JSON.stringify would: a key whose value is undefined is left out.
    const keys = Object.keys(item).filter((key) => item[key] !== undefined)
    const signature = keys.join('\u0000')
    let index = shapeIndex.get(signature)
    if (index === undefined) {
      index = shapes.push(keys) - 1
      shapeIndex.set(signature, index)
    }
    const row: unknown[] = [index]
    for (const key of keys) row.push(item[key])
    return row
  })
  return { shapes, rows }
}

/** JSON text with every character above 0x7f as a `\\uXXXX` escape: the same value, and ASCII. */
export function asciiJson(value: unknown): string {
  return asciiText(JSON.stringify(value))
}

const NON_ASCII = /[\u0080-\uffff]/
const EVERY_NON_ASCII = /[\u0080-\uffff]/g

export function asciiText(json: string): string {
  if (!NON_ASCII.test(json)) return json
  return json.replace(EVERY_NON_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
