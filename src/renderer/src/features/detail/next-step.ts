// For a library in trouble: what happened and what a person should do next, in plain words. Pure.
import type { LibraryView } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'

export interface NextStep {
  readonly tone: 'info' | 'warning' | 'trouble'
  readonly title: string
  readonly text: string
}

const NEW_TOKEN_WHERE =
  'They create one under Library Settings → API Settings (a service account), or on their Connected Applications page for your application.'

function retryText(library: LibraryView): string {
  const retryAt = library.lastError?.retryAt
  return retryAt === undefined ? 'Larder tries again on its own.' : `Larder tries again on its own at ${formatExact(retryAt)}.`
}

/** " (HTTP 502)" when Apicbase's answer had a status. */
function httpStatus(library: LibraryView): string {
  const status = library.lastError?.status
  return status === undefined ? '' : ` (HTTP ${status})`
}

export function nextStep(library: LibraryView): NextStep | null {
  const name = library.name
  switch (library.status) {
    case 'needs_reauth':
      return {
        tone: 'trouble',
        title: 'Next step: ask the owner for a new token',
        text: `Apicbase no longer accepts the refresh token of ${name}, so Larder has stopped refreshing it. Ask the owner of ${name} for a new token. ${NEW_TOKEN_WHERE} Then paste the new pair below: the library keeps its settings and history.`
      }
    case 'revoked':
      return {
        tone: 'info',
        title: 'This token was revoked',
        text: `Larder no longer refreshes or copies it. To use ${name} again, ask its owner for a new token and paste the new pair below.`
      }
    case 'expired':
      return {
        tone: 'trouble',
        title: 'Next step: refresh now',
        text: `The access token of ${name} has expired. Press Refresh now to get a new one; if that fails, the message below says why.`
      }
    case 'error':
      return errorStep(library)
    case 'expiring_soon':
      return {
        tone: 'warning',
        title: 'Expiring soon',
        text: `Its planned refresh is overdue, or Larder cannot refresh it on its own now. Press Refresh now; if that fails, the message below says why.`
      }
    case 'healthy':
    case 'refreshing':
      return null
  }
}

function errorStep(library: LibraryView): NextStep {
  const name = library.name
  switch (library.lastError?.kind) {
    case 'invalid_client':
      return {
        tone: 'trouble',
        title: "Next step: check this library's client ID and secret",
        text: `Apicbase rejected the client ID or client secret stored for ${name}. Compare them with the library's Library Settings → API Settings. If the secret was changed there, remove this library and add it again with the new secret.`
      }
    case 'forbidden':
      return {
        tone: 'trouble',
        title: 'Next step: ask the owner for the missing permission',
        text: `The token of ${name} lacks a scope or permission. Ask the owner to issue a token with the scopes your software needs (usually both "library" and "accounts"), or to give the token's user the permission.`
      }
    case 'unauthorized':
      return { tone: 'trouble', title: 'Next step: refresh now', text: `Apicbase did not accept the access token of ${name}. Press Refresh now to get a new one.` }
    case 'rate_limited':
      return { tone: 'warning', title: 'Rate limited: nothing to do', text: `Apicbase asked Larder to slow down. ${retryText(library)}` }
    case 'network':
    case 'timeout':
      return {
        tone: 'warning',
        title: 'Could not reach Apicbase: retrying',
        text: `${retryText(library)} If it keeps failing, check this computer's network connection and the API base URL below.`
      }
    // Apicbase answered, so this computer's connection is not the problem.
    case 'server_error':
      return {
        tone: 'warning',
        title: `Apicbase answered with an error${httpStatus(library)}: retrying`,
        text: `The trouble is on Apicbase's side (or a proxy in front of it), not this computer's connection. ${retryText(library)} Nothing to do: if it keeps failing for hours, tell Apicbase's support what the message below says.`
      }
    case 'malformed_response':
      return {
        tone: 'warning',
        title: 'Apicbase answered with something its API does not send: retrying',
        text: `${retryText(library)} If it keeps failing, check that the API base URL below is Apicbase's API and not a web page or a proxy's sign-in page.`
      }
    case 'storage':
      return {
        tone: 'trouble',
        title: 'Larder could not save to disk',
        text: `${retryText(library)} Check that the disk is not full and that Larder may write to its data folder.`
      }
    case 'tampered':
      return {
        tone: 'trouble',
        title: 'Larder sends nothing for this library: its record was changed outside Larder',
        text: `Where or how ${name}'s secrets may be sent (the fields named below) no longer matches what Larder sealed with them, so Larder will not refresh or copy it. If you did not change Larder's files yourself, another program on this computer did: check this computer before anything else. The file is kept as it was. To use ${name} again, remove it and add it again with a new token from its owner.`
      }
    case 'invalid_request':
      return { tone: 'trouble', title: 'Apicbase refused the request', text: `Check the API base URL of ${name} below. If it is right, the message below says more.` }
    default:
      return { tone: 'trouble', title: 'Something went wrong', text: `Press Refresh now to try again; the message below says what happened.` }
  }
}
