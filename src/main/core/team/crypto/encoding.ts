// Unambiguous bytes for what a seal or a MAC is bound to: each part length-prefixed (4 bytes, big-endian), so no
// choice of ids can make two different bindings read as the same bytes (a plain "a|b" join could).
export type Part = string | number | Buffer

export function encodeParts(parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const bytes = Buffer.isBuffer(part) ? part : Buffer.from(typeof part === 'number' ? `#${part}` : part, 'utf8')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    chunks.push(length, bytes)
  }
  return Buffer.concat(chunks)
}

/** Thrown when a sealed blob, a wrapped key or a MAC does not check: says what, never any key or plaintext byte. */
export class TeamCryptoError extends Error {
  override readonly name = 'TeamCryptoError'
}
