// Where a form sends a library's client secret and tokens, in plain sight: the address it will use (typed, or the
// default from Settings), and for a host that is not Apicbase's an explicit "I trust <host>" the person must tick.
// The URL is read by the same function the core uses (src/shared/api-host.ts); the core checks it again.
import type { ReactNode } from 'react'
import { classifyApiBaseUrl, type ApiHost } from '../../../../shared/api-host.ts'
import { ErrorText } from './Field.tsx'
import './api-host.css'

/** The host a form will send to: what was typed, or else the default. Null when it is no URL Larder could use. */
export function effectiveApiHost(typed: string, fallback: string): ApiHost | null {
  return classifyApiBaseUrl(typed.trim() === '' ? fallback : typed)
}

const KIND_NOTE: Readonly<Record<ApiHost['kind'], string>> = {
  apicbase: 'Apicbase',
  loopback: 'this computer',
  other: 'not Apicbase'
}

export interface ApiTargetProps {
  /** What was typed in the URL field ('' when empty). */
  readonly typed: string
  /** The default from Settings, used when nothing was typed. */
  readonly fallback: string
}

/** One line: the address this form sends to, and whose it is. */
export function ApiTarget({ typed, fallback }: ApiTargetProps): React.JSX.Element {
  const fromDefault = typed.trim() === ''
  const target = effectiveApiHost(typed, fallback)
  return (
    <p className="api-target field-help">
      Sends to <strong className="mono">{target?.origin ?? typed.trim()}</strong>
      {target !== null ? ` (${KIND_NOTE[target.kind]})` : ''}
      {fromDefault ? ', the default from Settings.' : target === null ? '; Larder checks this address when you save.' : ', as set under Advanced.'}
    </p>
  )
}

export interface HostTrustProps {
  readonly id: string
  /** A host that is not Apicbase's. */
  readonly host: string
  /** What goes there, for the first sentence: "this library’s client secret and tokens". */
  readonly what: ReactNode
  /** The checkbox's words. */
  readonly label: string
  readonly checked: boolean
  onChange(checked: boolean): void
  readonly error?: string | null
  readonly disabled?: boolean
  /** Shown instead of the checkbox, when nothing needs confirming (a default already in place). */
  readonly children?: ReactNode
}

/** The warning for a host that is not Apicbase's, with the confirmation that names it. */
export function HostTrust({ id, host, what, label, checked, onChange, error, disabled = false, children }: HostTrustProps): React.JSX.Element {
  // A name with "apicbase" in it, or an internationalised one (punycode), is made to be mistaken for Apicbase's.
  const lookalike = host.includes('apicbase') || host.split('.').some((part) => part.startsWith('xn--'))
  return (
    <div className="notice notice-warning api-host-notice" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>
          <span className="mono">{host}</span> is not an Apicbase address.
        </strong>{' '}
        {lookalike ? 'It only looks like one. ' : ''}Apicbase’s API is at api.apicbase.com (or another address ending in .apicbase.com). Larder
        will send {what} to <span className="mono">{host}</span>: whoever runs it can use them.
      </p>
      {children ?? (
        <div className="check">
          <input
            id={id}
            type="checkbox"
            checked={checked}
            disabled={disabled}
            aria-invalid={error !== null && error !== undefined}
            aria-describedby={error !== null && error !== undefined ? `${id}-error` : undefined}
            onChange={(event) => onChange(event.target.checked)}
          />
          <label htmlFor={id}>{label}</label>
        </div>
      )}
      <ErrorText id={`${id}-error`} message={error} glyph />
    </div>
  )
}

/** The checkbox's words for one library. */
export function trustLabel(host: string): string {
  return `I trust ${host} with this library’s client secret and tokens`
}

/** The client-side refusal, before anything is sent. */
export function untickedMessage(host: string): string {
  return `Tick the box to confirm that you trust ${host}, or use an Apicbase address. Nothing was sent.`
}
