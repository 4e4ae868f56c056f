// A backup file's passphrase: typed twice with its rule for a file Larder writes, once for a file it reads. Password
// fields the browser neither remembers nor fills; the value stays the form's and goes into one call only.
import { useState } from 'react'
import { MaskedField } from '../common/FieldFrame.tsx'
import { PASSPHRASE_RULE } from './estate-words.ts'

export interface PassphraseFieldProps {
  readonly id: string
  readonly label: string
  readonly value: string
  onChange(value: string): void
  readonly error?: string | null
  readonly help?: string
  readonly disabled?: boolean
}

export function PassphraseField(props: PassphraseFieldProps): React.JSX.Element {
  return <MaskedField {...props} />
}

/** The pair's values, held by the form that sends them. */
export interface PassphraseDraft {
  readonly passphrase: string
  readonly repeated: string
  setPassphrase(value: string): void
  setRepeated(value: string): void
  /** Empties both: the passphrase leaves the page as soon as it is used. */
  clear(): void
}

export function usePassphraseDraft(): PassphraseDraft {
  const [passphrase, setPassphrase] = useState('')
  const [repeated, setRepeated] = useState('')
  return {
    passphrase,
    repeated,
    setPassphrase,
    setRepeated,
    clear() {
      setPassphrase('')
      setRepeated('')
    }
  }
}

export interface PassphrasePairProps {
  readonly id: string
  readonly draft: PassphraseDraft
  readonly errors: { readonly passphrase?: string | null; readonly repeat?: string | null }
  /** The rule, or what an empty pair means (scheduled backups: keep the stored one). */
  readonly help?: string
  readonly disabled?: boolean
}

export function PassphrasePair({ id, draft, errors, help = PASSPHRASE_RULE, disabled = false }: PassphrasePairProps): React.JSX.Element {
  return (
    <div className="passphrase-pair">
      <PassphraseField id={`${id}-passphrase`} label="Passphrase" value={draft.passphrase} onChange={draft.setPassphrase} error={errors.passphrase} help={help} disabled={disabled} />
      <PassphraseField id={`${id}-repeat`} label="Passphrase again" value={draft.repeated} onChange={draft.setRepeated} error={errors.repeat} disabled={disabled} />
    </div>
  )
}

