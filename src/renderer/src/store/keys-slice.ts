// Keys of the systems Larder keeps as given (SafetyCulture, Airtable, admin service tokens), by id: listed with the
// library list (connect.ts), then kept current by 'key.changed' (a whole view) and 'key.removed'. Keys are few, so each
// change replaces the record whole. The calls answer a key's whole view, which goes in at once (its event follows).
import type { StateCreator } from 'zustand'
import type { CallResult, KeyView } from '../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../shared/status-words.ts'
import type { BridgeClient } from '../bridge/client.ts'
import { copiesToStandIn, STAND_IN_CLIPBOARD_NOTE } from '../lib/host-abilities.ts'
import { formatDuration } from '../lib/time.ts'
import type { AppState, KeyListPart, KeysSlice } from './types.ts'

const FORMAT_NOUN = { token: 'Token', header: 'Request header', env: 'Environment variables', curl: 'curl command' } as const

/** What a lifecycle event is called in a message: "recorded as revoked by its admin". */
const LIFECYCLE_WORD = { revoked: 'revoked', restored: 'restored', deleted: 'deleted', expired: 'expired' } as const

/** The keys as 'keys.list' answered them. The bridge is ordered: every event sent before that answer is older, so
 * the answer replaces all. */
export function keyListPart(keys: readonly KeyView[]): KeyListPart {
  const keysById: Record<string, KeyView> = {}
  for (const key of keys) keysById[key.id] = key
  return { keysById, keyIds: keys.map((key) => key.id), keysError: null }
}

export function keysSlice(client: BridgeClient): StateCreator<AppState, [], [], KeysSlice> {
  return (set, get) => {
    const nameOf = (id: string): string => get().keysById[id]?.name ?? 'the key'
    /** Puts a call's answered view in, or says why the call failed. */
    const answered = <R extends CallResult<'keys.check'>>(result: R, failed: string): R => {
      if (result.ok) get().noteKey(result.value)
      else get().pushToast('error', `${failed} ${result.error.message}`)
      return result
    }
    return {
      keysById: {},
      keyIds: [],
      keysError: null,

      takeKeyList(part) {
        set(part)
      },


      noteKey(view) {
        const { keysById, keyIds } = get()
        set({ keysById: { ...keysById, [view.id]: view }, keyIds: view.id in keysById ? keyIds : [...keyIds, view.id] })
      },

      dropKey(id) {
        const { keysById, keyIds } = get()
        if (!(id in keysById)) return
        const rest = { ...keysById }
        delete rest[id]
        set({ keysById: rest, keyIds: keyIds.filter((known) => known !== id), selectedId: get().selectedId === id ? null : get().selectedId })
      },

      async addKey(input) {
        const result = await client.call('keys.add', input)
        if (result.ok) get().noteKey(result.value)
        // A refused token or a wrong detail is the form's to say, beside its field.
        return result
      },

      listKeyBases(id) {
        // The form that asked says a failure beside its button.
        return client.call('keys.bases', { id })
      },

      async checkKey(id) {
        const name = nameOf(id)
        return answered(await client.call('keys.check', { id }), `Could not check ${name}.`)
      },

      async markKeyUsed(id) {
        const name = nameOf(id)
        return answered(await client.call('keys.markUsed', { id }), `Could not record a use of ${name}.`)
      },

      async regenerateKey(id, token) {
        const name = nameOf(id)
        const result = await client.call('keys.regenerate', { id, token })
        if (result.ok) {
          get().noteKey(result.value)
          get().pushToast('success', `${name} now holds the regenerated value (${result.value.tokenPreview}); the old one is recorded as replaced.`)
        }
        // A refused value is the form's to say, beside the field.
        return result
      },

      async keyLifecycle(id, event) {
        const name = nameOf(id)
        const result = answered(await client.call('keys.lifecycle', { id, event }), `Could not record what the admin did to ${name}.`)
        if (result.ok) get().pushToast('success', `${name} recorded as ${LIFECYCLE_WORD[event]} by its admin.`)
        return result
      },

      async updateKey(input) {
        const name = nameOf(input.id)
        return answered(await client.call('keys.update', input), `Could not change ${name}.`)
      },

      async copyKey(id, format, options) {
        const key = get().keysById[id]
        const name = key?.name ?? 'the key'
        const result = await client.call('keys.copy', { id, format })
        if (result.ok && options?.announce !== false) {
          const clearMs = get().settings?.clipboardClearMs
          const clears = result.value.clearsAt === null ? '' : clearMs === undefined ? ' It clears itself shortly.' : ` Clears in ${formatDuration(clearMs)}.`
          const where = copiesToStandIn(get().appInfo) ? ` ${STAND_IN_CLIPBOARD_NOTE}` : ''
          get().pushToast('success', `${FORMAT_NOUN[format]} for ${name} (${key === undefined ? 'key' : SYSTEM_LABEL[key.system]}) copied (${result.value.preview}).${clears}${where}`)
        } else if (!result.ok) {
          get().pushToast('error', `Could not copy ${name}. ${result.error.message}`)
        }
        return result
      },

      async removeKey(id, confirmName) {
        const name = get().keysById[id]?.name ?? confirmName
        const result = await client.call('keys.remove', { id, confirmName })
        if (result.ok) {
          get().dropKey(id)
          get().pushToast('success', `Removed ${name} from Larder.`)
        }
        // A refusal (the name typed wrong) is the dialog's to say.
        return result
      }
    }
  }
}
