// A partner team on one set of tokens (issue 16): making a team on a PostgreSQL database, asking to join one (the code
// shown on this screen, for a member to type on theirs), approving, and what this machine's membership is. The
// database URL travels only in a call's input (it may hold a password): every answer names the server without it.
import { z } from 'zod'
import { idSchema, millisSchema } from './vocabulary.ts'

/** A postgres:// URL; the main side parses it, applies the TLS rule and says what is wrong, never echoing a password. */
const databaseUrlSchema = z.string().min(1).max(2048)
/** PEM of the CA that signed the server's certificate, when the system does not trust it. */
const caPemSchema = z.string().min(1).max(65_536)
/** How this member is named to the others. */
const memberNameSchema = z.string().min(1).max(200)
/** The schema the team's tables are in (default larder). */
const schemaNameSchema = z.string().min(1).max(63)

export const teamPlaceInput = z.strictObject({ databaseUrl: databaseUrlSchema, caPem: caPemSchema.optional(), schema: schemaNameSchema.optional(), name: memberNameSchema })
export const teamApproveInput = z.strictObject({ code: z.string().min(1).max(40) })

export const teamMemberViewSchema = z.strictObject({ id: idSchema, name: z.string(), you: z.boolean() })

export const teamRemoveInput = z.strictObject({ memberId: idSchema })

const countSchema = z.number().int().min(0)

/**
 * A removal under way (issue 16): the team key changed, every credential sealed again under the new one, then every
 * credential refreshed so the copies the removed member's Larder holds stop working at Apicbase. No secret.
 */
export const teamRemovalViewSchema = z.strictObject({
  /**
   * Who was removed; null where the team's roster does not say (one written before former members were kept, read by
   * the member that finishes a removal another started): a window then speaks of "a member".
   */
  removed: z.strictObject({ id: idSchema, name: z.string() }).nullable(),
  /** When the removal was made (the team database's clock). */
  startedAt: millisSchema,
  /** Credentials sealed again under the new team key. */
  resealed: z.strictObject({ done: countSchema, total: countSchema, finished: z.boolean() }),
  /** Credentials refreshed since; null before it starts, or where this Larder cannot refresh them from here. */
  refreshed: z.strictObject({ done: countSchema, total: countSchema, finished: z.boolean(), left: z.array(z.strictObject({ id: idSchema, name: z.string(), why: z.string() })).readonly() }).nullable(),
  /** What it means, for a person: until a credential is refreshed, the removed member's copy of it still works. */
  message: z.string()
})

export const teamViewSchema = z.strictObject({
  /**
   * 'none': a local vault; 'joining': asked to join, waiting for a member to type the code; 'member': in the team;
   * 'out': no longer in it (a member removed this machine, or took the team's credentials to their vault). An 'out'
   * vault lists and copies what it held, refreshes nothing, and becomes local with team.leave.
   */
  membership: z.enum(['none', 'joining', 'member', 'out']),
  /** Why and since when this machine is out of the team; present only when membership is 'out'. */
  out: z.strictObject({ why: z.string(), since: millisSchema }).optional(),
  /** This member's name; null for a local vault. */
  name: z.string().nullable(),
  /** While joining: the code to read out to a member (XXXXX-XXXXX); shown here only, null otherwise. */
  code: z.string().nullable(),
  /** The server, its password left out (e.g. postgres://larder:***@db.example.com:5432/team); null for a local vault. */
  database: z.string().nullable(),
  members: z.array(teamMemberViewSchema).readonly(),
  /** Whether this machine reaches the team database now; 'none' for a local vault. */
  link: z.strictObject({ state: z.enum(['none', 'connecting', 'online', 'offline']), since: millisSchema.nullable(), reason: z.string().nullable() }),
  /** A removal this machine made, while under way (and its last state once done); absent otherwise. */
  removal: teamRemovalViewSchema.optional()
})

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { readonly input: I; readonly output: O } => ({ input, output })

/** The team's calls, spread into the bridge's table (calls.ts). */
export const teamCalls = {
  'team.state': call(z.strictObject({}), teamViewSchema),
  /** Makes a team on an empty database (its tables made by Larder), with this machine as its first member. */
  'team.create': call(teamPlaceInput, teamViewSchema),
  /** Asks to join the team on that database: the answer holds the code to read out to a member. */
  'team.requestJoin': call(teamPlaceInput, teamViewSchema),
  /** Withdraws this machine's request to join (the code stops working). */
  'team.cancelJoin': call(z.strictObject({}), teamViewSchema),
  /** A member lets a new one in by the code from the new member's screen. */
  'team.approve': call(teamApproveInput, z.strictObject({ memberId: idSchema, name: z.string() })),
  /** Removes a member: new team key, every credential sealed again and refreshed (progress in team.changed). */
  'team.remove': call(teamRemoveInput, teamRemovalViewSchema),
  /**
   * This machine leaves the team and its vault is local again: its copies of the team's credentials are deleted here
   * (the team keeps them, and the others' tokens stay valid). Refused for the last member, whose leaving would lose
   * them (team.takeHome instead), and offline, unless this machine is out of the team already.
   */
  'team.leave': call(z.strictObject({}), teamViewSchema),
  /**
   * Ends the team and takes its credentials home: each comes into this machine's local vault with its newest pair (no
   * refresh in flight anywhere), every other member's Larder drops its copies and sends nothing more, and this vault
   * is local again. Online only.
   */
  'team.takeHome': call(z.strictObject({}), teamViewSchema)
} as const

export type TeamView = z.infer<typeof teamViewSchema>
export type TeamMemberView = z.infer<typeof teamMemberViewSchema>
export type TeamRemovalView = z.infer<typeof teamRemovalViewSchema>
