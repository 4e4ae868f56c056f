// The detail's copy buttons, each beside what it puts on the clipboard with the token masked ("Authorization: Bearer
// …a91f"). The text comes from the same templates main fills with the real token (src/shared/copy-formats.ts), so
// what a person reads here is what lands on the clipboard, the token aside.
import { useId } from 'react'
import type { CopyFormat, LibraryView } from '../../../../shared/contract.ts'
import { maskedCopyText } from '../../../../shared/copy-formats.ts'
import './copy.css'

export interface CopyChoice {
  readonly format: CopyFormat
  /** The button's name, also what the receipt calls the copy: "Copy header" → "header". */
  readonly label: string
  /** Said beside the button, in muted text. */
  readonly use: string
}

export const COPY_CHOICES: readonly CopyChoice[] = [
  { format: 'token', label: 'Copy token', use: 'the access token alone, for a script' },
  { format: 'header', label: 'Copy header', use: 'for an HTTP client' },
  { format: 'env', label: 'Copy env', use: 'variables for a shell' },
  { format: 'curl', label: 'Copy curl', use: 'a command that lists the recipes' }
]

/** "Copy header" → "header": what the receipt calls a copy. */
export function copyNoun(format: CopyFormat): string {
  return (COPY_CHOICES.find((choice) => choice.format === format)?.label ?? 'Copy token').replace(/^Copy /, '')
}

interface CopyFormatsProps {
  readonly library: Pick<LibraryView, 'tokenPreview' | 'apiBaseUrl' | 'apicbaseLibraryId'>
  readonly disabled: boolean
  readonly onCopy: (format: CopyFormat) => void
}

export function CopyFormats({ library, disabled, onCopy }: CopyFormatsProps): React.JSX.Element {
  const idBase = useId()
  return (
    <div className="copy-formats" role="group" aria-label="Copy to the clipboard">
      {COPY_CHOICES.map(({ format, label, use }) => {
        const previewId = `${idBase}-${format}`
        return (
          <div className="copy-format" key={format}>
            <button type="button" className={`button small${format === 'token' ? ' copy-format-main' : ''}`} aria-describedby={previewId} disabled={disabled} onClick={() => onCopy(format)}>
              {label}
            </button>
            <span className="copy-format-use">{use}</span>
            <code id={previewId} className="copy-preview">
              {maskedCopyText(format, library.tokenPreview, library)}
            </code>
          </div>
        )
      })}
    </div>
  )
}
