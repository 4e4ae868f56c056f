// The refusals of the personal-token layer, each naming the token, the libraries and what a person can do.

/**
 * The token's active library is not the one Larder left it on, and acting for another library would take it away
 * from whoever changed it. Nothing was switched and no token was handed out.
 */
export class LibraryDriftError extends Error {
  override readonly name = 'LibraryDriftError'
  readonly connectionId: string
  readonly activeLibraryId: string
  readonly expectedLibraryId: string | null

  constructor(connectionId: string, activeLibraryId: string, expectedLibraryId: string | null, message: string) {
    super(message)
    this.connectionId = connectionId
    this.activeLibraryId = activeLibraryId
    this.expectedLibraryId = expectedLibraryId
  }
}
