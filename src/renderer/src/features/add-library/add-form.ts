// The add-library form as data: its fields, the local checks, and where an answer from Larder belongs. Pure.
import type { AddLibraryInput, BridgeErrorShape, TokenType } from '../../../../shared/contract.ts'
import { customerLabelProblem } from '../../../../shared/customer-label.ts'

export const FIELDS = ['name', 'customer', 'clientId', 'clientSecret', 'accessToken', 'refreshToken', 'apiBaseUrl'] as const
export type Field = (typeof FIELDS)[number]

export interface Draft {
  readonly tokenType: TokenType
  readonly name: string
  /** Optional: '' for none. */
  readonly customer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly apiBaseUrl: string
}

export const EMPTY_DRAFT: Draft = {
  tokenType: 'service_account',
  name: '',
  customer: '',
  clientId: '',
  clientSecret: '',
  accessToken: '',
  refreshToken: '',
  apiBaseUrl: ''
}

export const FIELD_LABEL: Readonly<Record<Field, string>> = {
  name: 'Name',
  customer: 'Customer (optional)',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  accessToken: 'Access token',
  refreshToken: 'Refresh token',
  apiBaseUrl: 'API base URL'
}

/** Checks that need no network: every required field has something in it, a customer label one Larder keeps. Larder checks the rest. */
export function missingFields(draft: Draft): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {}
  if (draft.name.trim() === '') errors.name = 'Give the library a name you will recognise, such as the customer’s name.'
  const customer = customerLabelProblem(draft.customer)
  if (customer !== null) errors.customer = customer
  if (draft.clientId.trim() === '') errors.clientId = 'Paste the client ID from the library’s API settings.'
  if (draft.clientSecret.trim() === '') errors.clientSecret = 'Paste the client secret that belongs to this client ID.'
  if (draft.accessToken.trim() === '') errors.accessToken = 'Paste the access token.'
  if (draft.refreshToken.trim() === '') errors.refreshToken = 'Paste the refresh token (Apicbase showed it once, with the access token).'
  return errors
}

/**
 * What is sent: everything as pasted (Larder trims whitespace and quotes), the base URL only when given, the host the
 * person confirmed they trust when it is not Apicbase's, and the library Larder holds already that they chose to add
 * a second entry beside ("Add it anyway").
 */
export function toInput(draft: Draft, confirmedHost?: string, confirmDuplicateOf?: string): AddLibraryInput {
  const base = draft.apiBaseUrl.trim()
  return {
    tokenType: draft.tokenType,
    name: draft.name,
    ...(draft.customer.trim() === '' ? {} : { customer: draft.customer }),
    clientId: draft.clientId,
    clientSecret: draft.clientSecret,
    accessToken: draft.accessToken,
    refreshToken: draft.refreshToken,
    ...(base === '' ? {} : { apiBaseUrl: base }),
    ...(confirmedHost === undefined ? {} : { confirmedHost }),
    ...(confirmDuplicateOf === undefined ? {} : { confirmDuplicateOf })
  }
}

function isField(value: string): value is Field {
  return (FIELDS as readonly string[]).includes(value)
}

/** The field an error from `libraries.add` is about, or null when it concerns the whole form (no network…). */
export function fieldOfError(error: BridgeErrorShape): Field | null {
  if (error.field !== undefined) {
    const last = error.field.split('.').pop() ?? ''
    if (isField(last)) return last
  }
  if (error.kind === 'api') {
    switch (error.apiKind) {
      case 'invalid_client':
        return 'clientSecret'
      case 'invalid_grant':
        return 'refreshToken'
      case 'malformed_response':
        return 'apiBaseUrl'
      default:
        return null
    }
  }
  return null
}
