// A customer label: the optional text that groups one customer's libraries and keys together (a restaurant group's
// Apicbase library beside its SafetyCulture and Airtable keys). Not a secret. One rule for the core (which keeps the
// trimmed text) and the renderer (which says what is wrong at the field): trimmed, at most CUSTOMER_LABEL_MAX
// characters, one line; empty means none. The keys' own rule (keys/key-service.ts) is the same length, trimmed.

export const CUSTOMER_LABEL_MAX = 200

const CONTROL = /[\u0000-\u001f\u007f]/

/** The label as kept: trimmed; '' for none. */
export function trimCustomerLabel(raw: string): string {
  return raw.trim()
}

/** What is wrong with a label as typed (before trimming), in words for the field; null when it can be kept. */
export function customerLabelProblem(raw: string): string | null {
  const label = trimCustomerLabel(raw)
  if (label.length > CUSTOMER_LABEL_MAX) return `The customer label is longer than ${CUSTOMER_LABEL_MAX} characters.`
  if (CONTROL.test(label)) return 'The customer label must be one line, without tabs or control characters.'
  return null
}
