// The host's file pickers (issue 17): the estate's calls take paths, and the person chooses them in the host's own open,
// save or folder dialog, so the window never reads or writes a file full of secrets. A host without one (the browser
// host, the agent) answers `unavailable` and the window asks for the path as text instead.
import { z } from 'zod'

/** What the file is for: the dialog's title says so. */
export const FILE_PURPOSES = ['import', 'import_report', 'backup', 'restore', 'backup_folder', 'move', 'config'] as const
export const FILE_DIALOG_MODES = ['open', 'save', 'folder'] as const

/** A file's name alone, as the save dialog suggests it: no folder, no path separator. */
const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/)
  .refine((name) => name !== '.' && name !== '..')
const fileFilterSchema = z.strictObject({
  name: z.string().min(1).max(100),
  /** Without the dot: 'csv', 'age'. */
  extensions: z.array(z.string().regex(/^[A-Za-z0-9]{1,10}$/)).min(1).max(10)
})

export const filesChooseInput = z.strictObject({
  purpose: z.enum(FILE_PURPOSES),
  mode: z.enum(FILE_DIALOG_MODES),
  suggestedName: fileNameSchema.optional(),
  filters: z.array(fileFilterSchema).max(10).optional()
})

/** An absolute path chosen, the person closed the dialog, or this host has no dialog. */
export const fileChoiceSchema = z.union([
  z.strictObject({ path: z.string().min(1).max(4096) }),
  z.strictObject({ cancelled: z.literal(true) }),
  z.strictObject({ unavailable: z.literal(true) })
])

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })

/** The file pickers' calls, spread into the bridge's table (calls.ts). */
export const filesCalls = {
  /** The host's open, save or folder dialog; the answer is the path the person chose. */
  'files.choose': call(filesChooseInput, fileChoiceSchema)
} as const

export type FilePurpose = (typeof FILE_PURPOSES)[number]
export type FileDialogMode = (typeof FILE_DIALOG_MODES)[number]
export type FileFilter = z.infer<typeof fileFilterSchema>
export type FileChooseRequest = z.infer<typeof filesChooseInput>
export type FileChoice = z.infer<typeof fileChoiceSchema>
