// The team from the command line (`larder team …`, issue 16): the same calls as the window's Team section, in the
// terminal's own table. The database URL travels only in a call's input over the data folder's private endpoint
// (the command reads it from LARDER_TEAM_DATABASE_URL, never from argv); every answer names the server without its
// password.
import { z } from 'zod'
import { teamApproveInput, teamPlaceInput, teamViewSchema } from './team.ts'
import { idSchema } from './vocabulary.ts'

const table = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })

export const terminalTeamCalls = {
  /** `larder team status`: membership, members, online or offline since when and why; while joining, the code. */
  'team-status': table(z.strictObject({}), teamViewSchema),
  'team-create': table(teamPlaceInput, teamViewSchema),
  'team-join': table(teamPlaceInput, teamViewSchema),
  'team-approve': table(teamApproveInput, z.strictObject({ memberId: idSchema, name: z.string() })),
  'team-leave': table(z.strictObject({}), teamViewSchema),
  'team-take-home': table(z.strictObject({}), teamViewSchema)
} as const
