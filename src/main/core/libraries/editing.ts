// Changing what a person calls a library: its name and its customer label. Neither is a secret; the name is one of the
// fields its secrets are bound to, so renaming a record seals them again (the vault does that in the same write). A
// library reached through a personal token has its own name and label, kept in its entry. Nothing is sent anywhere.
import { checkedCustomerLabel } from '../customer-label.ts'
import { InputError } from '../errors.ts'
import type { LibraryContext } from './library-context.ts'
import type { LibraryWithStatus } from './library-views.ts'
import { displayName } from './pasted.ts'

const CHANGE_FIELDS = ['name', 'customer']

/**
 * See LibraryService.update. Every field is checked before anything is written; a change to nothing writes nothing
 * and is not audited. A customer label of '' takes it away.
 */
export async function update(ctx: LibraryContext, id: string, change: unknown): Promise<LibraryWithStatus> {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new InputError('input', 'The change must be an object')
  const raw = change as Record<string, unknown>
  const unknown = Object.keys(raw).find((field) => !CHANGE_FIELDS.includes(field))
  if (unknown !== undefined) throw new InputError(unknown, `${unknown} is not something Larder changes this way (the name and the customer label are)`)
  const { views } = ctx
  const entry = views.entryOf(id)
  const current = entry ?? views.require(id)
  const name = raw['name'] === undefined ? current.name : displayName('name', raw['name'])
  const was = current.customer ?? null
  const customer = raw['customer'] === undefined ? was : checkedCustomerLabel('customer', raw['customer'])
  const patch = { ...(name !== current.name ? { name } : {}), ...(customer !== was ? { customer } : {}) }
  if (Object.keys(patch).length === 0) return views.get(id)
  if (entry) await ctx.vault.patchEntry(id, patch)
  else await ctx.vault.patch(id, patch)
  const said = [
    name !== current.name ? `renamed from "${current.name}" to "${name}"` : null,
    customer === was ? null : customer === null ? `customer label removed (was "${was}")` : `customer label set to "${customer}"`
  ]
  ctx.record({ action: 'settings_changed', libraryId: id, libraryName: name, outcome: 'ok', detail: said.filter((part) => part !== null).join('; ') })
  return views.get(id)
}
