// What Larder tells a person about personal tokens, in one place for the dashboard and the tray. Plain data: no
// schema library, no secret. Links are on apicbase.com, the only site the main process opens in the browser.

import { DRIFTED_HELP } from './personal-drift.ts'

export const APICBASE_DOCS = {
  /** Token types: service account vs personal, and how the library owner creates each. */
  tokenTypes: 'https://developers.apicbase.com/docs/user-based-tokens',
  /** One service-account token per library; the accounts endpoints for personal tokens. */
  multipleLibraries: 'https://developers.apicbase.com/docs/working-with-many-libraries'
} as const

export const PERSONAL_TOKEN_GUIDANCE = {
  /** Shown wherever a personal token (or one from the OAuth flow) is connected or listed. */
  whatItMeans:
    'A personal token acts as the person who authorized it, with their permissions, on whichever library they have active in Apicbase. ' +
    'If they switch library in Apicbase, the token follows. Larder switches it to the right library before each use and refuses to hand it out for another library when someone switched it outside Larder.',
  /** The stable alternative, for the owner of each library. */
  stableChoice:
    'A service-account token per library is the stable choice: it is bound to its library and is not affected by anyone switching libraries.',
  /** The owner-side steps, in Larder's words; link APICBASE_DOCS.tokenTypes next to them. */
  ownerSteps: [
    'The library owner opens Library Settings → API Settings in Apicbase.',
    'For a partner application: Connected Applications → Manage tokens; otherwise New token, and choose "Service Account Token".',
    'They pick the scopes (accounts, library), create the token and send you the access token and refresh token (shown only once), with the client ID and secret.',
    'Add them in Larder as a service-account or connected-application library.'
  ],
  /** The authorization-code flow. */
  codeLifetime: 'The code Apicbase shows is valid for one minute and works once: paste it right away.',
  codeExpired: 'The code has expired (codes live one minute) or was already used. Start again.',
  loopbackNote:
    "Larder listens on http://127.0.0.1 for Apicbase's answer. The application's redirect URL in Apicbase must allow http://127.0.0.1/oauth/callback/ (any port, as RFC 8252 describes for desktop apps); otherwise use \"paste the code\".",
  drifted: DRIFTED_HELP
} as const
