// A fresh access token for one library, for whatever hands it on (the clipboard, a terminal): refreshed first when it
// expires within the copy margin (joining the library's one refresh), checked at Apicbase first when its last health
// check is old, and for a library reached through a personal token, after switching the token's user to it (in the
// token's queue, refusing while the active library drifted). `use` runs while the token is known good; the caller records
// lastUsedAt (markUsed) once its hand-out succeeded.
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'

export type FreshTokenPorts = Pick<LarderCore, 'vault' | 'libraries' | 'personal' | 'engine' | 'clock'> & {
  readonly health: Pick<LarderCore['health'], 'beforeCopy'>
}

/** What happened to a personal token's active library on the way (absent for other tokens). */
export type PersonalRun =
  | { readonly role: 'library'; readonly switched: boolean; readonly activeId: string | null; readonly activeName: string | null }
  | { readonly role: 'connection'; readonly activeId: string | null; readonly activeName: string | null }

export interface FreshTokenRun<T> {
  readonly meta: LibraryWithStatus
  readonly value: T
  readonly personal?: PersonalRun
}

/** `purpose`: what the token is for, in the personal token's queue ("copying its token (header)"). */
export async function withFreshToken<T>(ports: FreshTokenPorts, id: string, purpose: string, use: (token: string) => Promise<T>): Promise<FreshTokenRun<T>> {
  const settings = ports.vault.settings()
  const meta = ports.libraries.get(id)
  const margin = { apiCalls: 0 as const, marginMs: settings.copyFreshnessMarginMs }
  let run: FreshTokenRun<T>
  if (meta.personal?.role === 'library') {
    const done = await ports.personal.onLibrary(id, ({ accessToken }) => use(accessToken), { purpose, ...margin })
    run = { meta, value: done.value, personal: { role: 'library', switched: done.switched, activeId: done.active?.id ?? null, activeName: done.active?.name ?? null } }
  } else if (meta.personal?.role === 'connection') {
    const done = await ports.personal.onConnection(id, ({ accessToken }, active) => use(accessToken).then((value) => ({ value, active })), margin)
    run = { meta, value: done.value, personal: { role: 'connection', activeId: done.active?.id ?? null, activeName: done.active?.name ?? null } }
  } else {
    // A token revoked at Apicbase is found here, before a script gets it (the library then needs re-authorization).
    await ports.health.beforeCopy(id)
    run = { meta, value: await use(await ports.engine.freshAccessToken(id, settings.copyFreshnessMarginMs)) }
  }
  return run
}

/** Records that the library's token was just used (handed out), once the hand-out succeeded. */
export async function markUsed(ports: Pick<FreshTokenPorts, 'vault' | 'clock'>, meta: LibraryWithStatus): Promise<void> {
  if (meta.personal?.role === 'library') await ports.vault.patchEntry(meta.id, { lastUsedAt: ports.clock.now() })
  else await ports.vault.patch(meta.id, { lastUsedAt: ports.clock.now() })
}
