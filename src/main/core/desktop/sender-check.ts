// Who may call the bridge: only the app's own page, in the window's top frame. Electron gives each call its
// sending frame, which is null when the frame has navigated away or gone; a call without a known sender is refused.

export interface SenderFrame {
  readonly url: string
  readonly parent: unknown
}

export type SenderVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'no_frame' | 'sub_frame' | 'foreign_url' }

export function checkSender(frame: SenderFrame | null | undefined, isOwnUrl: (url: string) => boolean): SenderVerdict {
  if (frame === null || frame === undefined) return { ok: false, reason: 'no_frame' }
  if (frame.parent !== null) return { ok: false, reason: 'sub_frame' }
  let own = false
  try {
    own = typeof frame.url === 'string' && isOwnUrl(frame.url)
  } catch {
    own = false
  }
  return own ? { ok: true } : { ok: false, reason: 'foreign_url' }
}

export const SENDER_REFUSALS: Readonly<Record<'no_frame' | 'sub_frame' | 'foreign_url', string>> = {
  no_frame: 'The call was refused: the page that sent it has navigated away or closed.',
  sub_frame: 'The call was refused: only the Larder window itself may call, not a frame inside it.',
  foreign_url: 'The call was refused: it came from a page Larder did not load.'
}
