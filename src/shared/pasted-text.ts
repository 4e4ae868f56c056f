// Values people paste: a token copied from a web page often brings spaces, a line break or quotes along. One
// trimming for the core (which keeps the trimmed value) and the renderer (which compares what is typed with it).

const SURROUNDING = /^[\s"'`‘’“”]+|[\s"'`‘’“”]+$/g

/** A pasted value without the whitespace and quotes around it. */
export function trimPasted(value: string): string {
  return value.replace(SURROUNDING, '')
}
