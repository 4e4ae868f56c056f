// A key's token as text a person or a script uses: alone, as the request header its system carries it in (Bearer, or
// the header an admin named), as the variables its system's scripts expect, as a curl line calling its read-only
// address, or as JSON. One formatter for the clipboard (copy-key.ts) and the terminal (hand-out-key.ts).
import { exportLines, shellQuote } from '../../../shared/copy-formats.ts'
import type { TokenFormat } from '../../../shared/terminal-words.ts'
import { InputError } from '../../core/errors.ts'
import type { KeyMeta } from '../../core/keys/key-model.ts'
import { keyTimeline } from '../../core/keys/key-status.ts'
import { keySystemOf } from '../../core/systems/registry.ts'

/** Refuses, before any token is taken, a format the key cannot be given in (curl without an address to call). */
export function assertKeyFormat(meta: KeyMeta, format: TokenFormat): void {
  if (format === 'curl' && keySystemOf(meta.system).readUrl(meta.details) === null) {
    throw new InputError('format', `${meta.name} has no address to call: give it a check address, or use another format.`)
  }
}

export function keyText(meta: KeyMeta, token: string, format: TokenFormat): string {
  const system = keySystemOf(meta.system)
  const carry = system.carry(meta.details)
  // As a person writes it (the admin's own spelling of a named header).
  const headerLine = carry.kind === 'bearer' ? `Authorization: Bearer ${token}` : `${carry.name}: ${token}`
  switch (format) {
    case 'raw':
      return token
    case 'header':
      return headerLine
    case 'env':
      return exportLines(system.environment(meta.details, token))
    case 'curl':
      return `curl -sS -H ${shellQuote(headerLine)} ${shellQuote(system.readUrl(meta.details) ?? '')}`
    case 'json': {
      const expiresAt = keyTimeline(meta).expiresAt
      return JSON.stringify({ token, system: meta.system, header: headerLine.slice(0, headerLine.indexOf(':')), expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString() })
    }
  }
}
