// A customer label as a person gives it (adding or editing a library): the shared rule (shared/customer-label.ts),
// said as an InputError naming the field. Empty means none.
import { customerLabelProblem, trimCustomerLabel } from '../../shared/customer-label.ts'
import { InputError } from './errors.ts'

/** The label to keep, trimmed; null for none (absent or only spaces). */
export function checkedCustomerLabel(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new InputError(field, 'The customer label must be text.')
  const problem = customerLabelProblem(value)
  if (problem !== null) throw new InputError(field, problem)
  const label = trimCustomerLabel(value)
  return label === '' ? null : label
}
