// Every event main pushes to the renderer (and any host's client), with the schema of its payload.
import { z } from 'zod'
import { libraryListViewSchema, personalActiveViewSchema, vaultStateSchema } from './views.ts'
import { terminalRequestViewSchema, terminalSessionsViewSchema } from './terminal.ts'
import { idSchema } from './vocabulary.ts'
import { keyViewSchema } from './keys.ts'
import { importProgressSchema } from './import.ts'
import { teamViewSchema } from './team.ts'

export const events = {
  /** The library's list row; a client showing the whole of it asks 'libraries.get' again. */
  'library.changed': libraryListViewSchema,
  'library.removed': z.strictObject({ id: idSchema }),
  /** A host asks the window to show one library (a tray or notification click). */
  'navigate.library': z.strictObject({ id: idSchema }),
  /** A host asks the window to show one key of another system (a notification click). */
  'navigate.key': z.strictObject({ id: idSchema }),
  'vault.state': vaultStateSchema,
  'personal.active': personalActiveViewSchema,
  /** A terminal session asks for tokens: the window asks the person (allow for a while, or deny). */
  'terminal.requested': terminalRequestViewSchema,
  /** The allowed terminal sessions and waiting requests changed (allowed, refused, revoked, ended). */
  'terminal.sessions': terminalSessionsViewSchema,
  /** A key of a system kept as given, as its whole view (added, changed, or its status moved with the clock). */
  'key.changed': keyViewSchema,
  'key.removed': z.strictObject({ id: idSchema }),
  /** A bulk import's progress: after each row, on a cancel, and once more when it ends ('finished'). */
  'import.progress': importProgressSchema,
  /** This machine's team membership changed (made, joined, someone approved, withdrawn): its whole view. */
  'team.changed': teamViewSchema
} as const

export type EventName = keyof typeof events
export type EventPayloads = { readonly [E in EventName]: z.infer<(typeof events)[E]> }
