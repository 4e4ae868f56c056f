// A system's details as a person gave them, through its schema: the first problem becomes an InputError naming the
// field ("details.checkUrl"), and nothing is changed.
import type { z } from 'zod'
import { InputError } from '../errors.ts'

export function parseDetails<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = ['details', ...(issue?.path ?? []).map(String)].join('.')
  throw new InputError(where, `${where}: ${issue?.message ?? 'not valid'}`)
}
