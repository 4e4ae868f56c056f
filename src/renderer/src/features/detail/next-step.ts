// For a library in trouble: what happened and what a person should do next, in plain words. Pure.
import type { LibraryView } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'

export interface NextStep {
  readonly tone: 'info' | 'warning' | 'trouble'
  readonly title: string
  readonly text: string
}

const PASTE_BELOW = 'Then paste the new pair below: the library keeps its settings and history.'

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
      return reauthStep(library)
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
    case 'moved':
      // Moved to another machine: its hold notice says where it went and how to take it back.
      return null
  }
}

/** Only the steps of the library's own token type, where the new token comes from (API.md, token types). */
function reauthStep(library: LibraryView): NextStep {
  const name = library.name
  const stopped = `Apicbase no longer accepts the refresh token of ${name}, so Larder has stopped refreshing it.`
  const title = 'Next step: ask the owner for a new token'
  switch (library.tokenType) {
    case 'service_account':
      return {
        tone: 'trouble',
        title,
        text: `${stopped} Ask the owner of ${name} for a new service-account token: in Apicbase, Library Settings → API Settings → New token, with the scopes your software needs. ${PASTE_BELOW}`
      }
    case 'connected_application':
      return {
        tone: 'trouble',
        title,
        text: `${stopped} Ask the owner of ${name} for a new token for your application: in Apicbase, Library Settings → API Settings → Connected Applications → Manage tokens, on your application’s line. ${PASTE_BELOW}`
      }
    case 'personal':
      return personalReauthStep(library)
  }
}

/** A personal token acts as the person who authorized it: only they can renew it, by connecting again. */
function personalReauthStep(library: LibraryView): NextStep {
  const name = library.name
  const connect = 'they connect again with Connect personal token (your partner application’s client ID and secret) and approve at Apicbase'
  const gone = 'A token of a deactivated Apicbase user cannot be renewed.'
  const title = 'Next step: its user connects again'
  if (library.personal?.role === 'library') {
    const token = library.personal.connectionName
    return {
      tone: 'trouble',
      title,
      text: `${name} uses the personal token ${token}, whose refresh token Apicbase no longer accepts, so Larder has stopped refreshing it. Only the person who authorized ${token} can renew it: ${connect}. Then add ${name} from the new token and remove this row. ${gone}`
    }
  }
  return {
    tone: 'trouble',
    title,
    text: `Apicbase no longer accepts the refresh token of the personal token ${name}, so Larder has stopped refreshing it and the libraries that share it. Only the person who authorized it can renew it: ${connect}. Then add its libraries from the new token and remove this one; or, if they give you a new pair for this same token, paste it below. ${gone}`
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
    // Issue 16: the engine never records it (a refusal, not a failure), but should one reach a view, it says the truth.
    case 'team_offline':
      return {
        tone: 'warning',
        title: 'Offline from the team: nothing is refreshed here',
        text: `This computer cannot reach the team database, so Larder neither refreshes nor changes ${name} here; copies use the token saved on this computer while it is valid. Check this computer's connection (or VPN) to the team's server: Larder catches up by itself once it is back.`
      }
    case 'invalid_request':
      return { tone: 'trouble', title: 'Apicbase refused the request', text: `Check the API base URL of ${name} below. If it is right, the message below says more.` }
    default:
      return { tone: 'trouble', title: 'Something went wrong', text: `Press Refresh now to try again; the message below says what happened.` }
  }
}
