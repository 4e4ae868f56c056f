// What a personal token means, the stable alternative, and the owner's steps, in the words of personal-guidance.ts.
import { APICBASE_DOCS, PERSONAL_TOKEN_GUIDANCE } from '../../../../shared/personal-guidance.ts'

export function PersonalMeaning({ compact = false }: { readonly compact?: boolean }): React.JSX.Element {
  return (
    <div className="personal-guidance">
      <p>{PERSONAL_TOKEN_GUIDANCE.whatItMeans}</p>
      <p>
        <strong>{PERSONAL_TOKEN_GUIDANCE.stableChoice}</strong>
      </p>
      {compact ? (
        <p>
          <a href={APICBASE_DOCS.tokenTypes} target="_blank" rel="noreferrer">
            How the library owner creates a service-account token
          </a>
        </p>
      ) : (
        <OwnerSteps />
      )}
    </div>
  )
}

export function OwnerSteps(): React.JSX.Element {
  return (
    <details className="advanced owner-steps">
      <summary>How the library owner creates a service-account token</summary>
      <ol>
        {PERSONAL_TOKEN_GUIDANCE.ownerSteps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p>
        <a href={APICBASE_DOCS.tokenTypes} target="_blank" rel="noreferrer">
          Token types in the Apicbase documentation
        </a>
        {' · '}
        <a href={APICBASE_DOCS.multipleLibraries} target="_blank" rel="noreferrer">
          Working with many libraries
        </a>
      </p>
    </details>
  )
}
