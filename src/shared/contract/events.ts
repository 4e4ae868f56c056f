// Every event main pushes to the renderer (and any host's client), with the schema of its payload.
import { z } from 'zod'
import { libraryListViewSchema, personalActiveViewSchema, vaultStateSchema } from './views.ts'
import { idSchema } from './vocabulary.ts'

export const events = {
  /** The library's list row; a client showing the whole of it asks 'libraries.get' again. */
  'library.changed': libraryListViewSchema,
  'library.removed': z.strictObject({ id: idSchema }),
  /** A host asks the window to show one library (a tray or notification click). */
  'navigate.library': z.strictObject({ id: idSchema }),
  'vault.state': vaultStateSchema,
  'personal.active': personalActiveViewSchema
} as const

export type EventName = keyof typeof events
export type EventPayloads = { readonly [E in EventName]: z.infer<(typeof events)[E]> }
