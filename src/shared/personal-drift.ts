// The one sentence about a personal token switched outside Larder, on its own: the list's drift banner shows it at
// start, while the rest of the personal-token guidance (personal-guidance.ts) loads only with the dialogs that use it.
export const DRIFTED_HELP =
  'Someone changed the active library of this token outside Larder (in Apicbase). Larder will not act for, or copy the token for, another library until you switch in Larder, or keep the library now active.'
