// Revoking a library's token at Apicbase, and removing a library from Larder.
import { auditFailureDetail } from '../audit/index.ts'
import { InputError } from '../errors.ts'
import type { LibraryContext } from './library-context.ts'
import type { LibraryWithStatus } from './library-views.ts'

/** See LibraryService.revoke. */
export async function revoke(ctx: LibraryContext, id: string): Promise<LibraryWithStatus> {
  const { views } = ctx
  const entry = views.entryOf(id)
  if (entry) {
    const connection = views.require(entry.connectionId)
    throw new InputError(
      'id',
      `${entry.name} uses the personal token of ${connection.name}, which ${views.entriesOf(connection.id).length === 1 ? 'no other library shares' : 'other libraries share too'}: revoke ${connection.name} itself to revoke it`
    )
  }
  const meta = views.require(id)
  try {
    const secrets = await ctx.vault.secrets(id)
    const target = { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: id }
    await ctx.client.revoke(target, { clientId: meta.clientId, clientSecret: secrets.clientSecret }, secrets.refreshToken)
    await ctx.vault.patch(id, { tokenState: 'revoked', lastError: null })
  } catch (error) {
    ctx.record({ action: 'revoked', libraryId: id, libraryName: meta.name, outcome: 'error', detail: auditFailureDetail(error) })
    throw error
  }
  ctx.engine.track(id)
  ctx.record({ action: 'revoked', libraryId: id, libraryName: meta.name, outcome: 'ok' })
  return views.get(id)
}

/** See LibraryService.remove. */
export async function remove(ctx: LibraryContext, id: string, confirmName: unknown): Promise<string[]> {
  const { views } = ctx
  const entry = views.entryOf(id)
  const meta = entry ? null : views.require(id)
  const name = entry?.name ?? meta?.name ?? ''
  if (typeof confirmName !== 'string' || confirmName.trim() !== name) {
    throw new InputError('confirmName', `Type the library's name, "${name}", to confirm removing it`)
  }
  if (entry) {
    await ctx.vault.remove(entry.id)
    ctx.record({ action: 'removed', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: 'the personal token it used is kept' })
    return [entry.id]
  }
  const sharing = views.entriesOf(id)
  ctx.engine.untrack(id)
  await ctx.vault.remove(id)
  const detail = sharing.length === 0 ? undefined : `with the ${sharing.length === 1 ? 'library' : `${sharing.length} libraries`} that used its token`
  ctx.record({ action: 'removed', libraryId: id, libraryName: name, outcome: 'ok', ...(detail ? { detail } : {}) })
  return [id, ...sharing.map((shared) => shared.id)]
}
