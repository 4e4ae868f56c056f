// The command's help texts: what each command does, its options, and where its output goes.
export const MAIN_HELP = `larder: Apicbase tokens (and keys of other systems) from the running Larder, for scripts.

Usage:
  larder ls [--json]                      libraries with status, time left, token type, provider, customer
  larder status [LIB] [--json]            one library's health (or Larder's, without LIB)
  larder token LIB [--format F]           a fresh access token on stdout (F: raw, header, env, curl, json)
  larder exec --library LIB [--library KEY=LIB …] -- COMMAND [ARGS…]
                                          runs COMMAND with the token(s) in its environment
  larder refresh LIB [--json]             refreshes LIB's token now
  larder import FILE [--dry-run] [--json] [--confirm-host HOST]…
                                          adds the libraries and keys of a CSV or JSON file (README "Import")
  larder backup FILE [--json]             an encrypted backup (age, a passphrase) of everything in the vault
  larder restore FILE [--dry-run] [--take-over] [--confirm-host HOST]… [--json]
                                          restores a backup (used tokens marked, none sent); --dry-run changes nothing
  larder export-config FILE [--json]      the configuration without secrets, as JSON
  larder lock [--forget]                  locks Larder now (tokens go on being refreshed); --forget also closes
                                          a passphrase vault (refreshes stop until it is unlocked)
  larder agent [--passphrase-file FILE]   runs Larder without a window (a build server, a scheduled job)
  larder team status [--json]             this machine's team: membership, members, online or offline since when
  larder team create --name NAME [--ca FILE] [--schema NAME]
                                          makes a team on the database in LARDER_TEAM_DATABASE_URL
  larder team join --name NAME [--ca FILE] [--schema NAME]
                                          asks to join the team there; prints the code to read out to a member
  larder team approve CODE                lets the machine showing CODE into the team
  larder team leave [--yes]               this machine leaves the team (its vault local again)
  larder team take-home [--yes]           ends the team, its credentials taken into this machine's vault

LIB is a library's name, its Larder id or its Apicbase library id; or a key's name or Larder id (SafetyCulture,
Airtable, a service token: handed out as its system carries it, never refreshed).
Options for every command: --data-dir DIR (else LARDER_DATA_DIR, else the app's own folder), --help.
LARDER_TEAM_DATABASE_URL: the team database (postgresql://USER:PASSWORD@HOST:PORT/DATABASE) for larder team create and
join, never on the command line; for larder agent, the address this member reaches its team's database by instead of
the one it saved.
Exit codes: 0 ok, 1 internal, 2 usage, 3 not running, 4 locked, 5 needs re-authorization, 6 not found or ambiguous,
7 API failure, 8 not approved, 9 unsafe endpoint, 10 data folder held by another Larder, 11 import: a row was not
imported (or, with --dry-run, is not ready), 12 import: the file cannot be imported, 13 import: cancelled by Ctrl-C,
14 offline from the team database (a team credential), 130 import: stopped by a second Ctrl-C. exec exits with
COMMAND's.`

export const HELP: Readonly<Record<string, string>> = {
  ls: `larder ls [--json] [--data-dir DIR]

Lists every library and key Larder holds: name, status, time left, token type, system (provider), customer
label and ids.
--json prints one JSON array on stdout instead of the table.`,
  status: `larder status [LIB] [--json] [--data-dir DIR]

With LIB: that library's health, its last refresh and last check, and the API's rate-limit figures.
Without: which Larder answers (desktop app or agent), its vault, and how many libraries are in each status.`,
  token: `larder token LIB [--format raw|header|env|curl|json] [--data-dir DIR]

Prints a fresh access token for LIB on stdout and nothing else there; Larder refreshes it first when it expires
within the copy margin (Settings). Formats:
  raw     the token (default)
  header  Authorization: Bearer <token>
  env     export lines for APICBASE_ACCESS_TOKEN, APICBASE_API_URL, APICBASE_LIBRARY_ID
  curl    a curl command reading the library's recipes
  json    {"access_token", "token_type", "expires_at", "api_url", "library_id"}
For a key of another system: header is the one its system uses, env its system's variables, curl calls its
check address, json is {"token", "system", "header", "expires_at"}.
The first request from a new terminal session asks in the app (window and notification).`,
  exec: `larder exec --library LIB [--library KEY=LIB …] [--data-dir DIR] -- COMMAND [ARGS…]

Runs COMMAND with a fresh token in its environment and nothing on its command line:
  APICBASE_ACCESS_TOKEN, APICBASE_API_URL, APICBASE_LIBRARY_ID
With several libraries each gets a prefix: APICBASE_<KEY>_ACCESS_TOKEN and so on, KEY from KEY=LIB or else the
library's name in upper snake case. A key of another system puts its system's variables instead
(SAFETYCULTURE_API_TOKEN, AIRTABLE_API_KEY, or the one chosen for a service token), prefixed KEY_ beside others.
stdin, stdout, stderr and signals pass through; larder exits with COMMAND's status (128+n when a signal ended it).`,
  import: `larder import FILE [--dry-run] [--json] [--confirm-host HOST]… [--format csv|json] [--data-dir DIR]

Adds the libraries and keys listed in FILE (CSV or JSON; the columns are in the README under "Import"), each checked
as if added by hand. Larder reads FILE itself (give a path; the file never passes through the command).
  --dry-run        checks every row and prints what an import would do: nothing is sent, nothing is stored
  --confirm-host   a host that is not the system's own (not *.apicbase.com…) which you trust with these secrets;
                   rows sending to any other such host are refused (repeat the option for several)
  --json           the report as JSON on stdout instead of the table
Rows are independent: one that fails never stops or undoes the others; a refresh token in two rows is sent once.
The first request from a new terminal session asks in the app, as larder token does. Progress goes to stderr.
Exit 0 when every row was imported (--dry-run: every row is ready), 11 when some were not, 12 when the file cannot
be imported at all. Ctrl-C cancels: rows in flight finish, rows not started are not sent; the report follows and
larder exits 13. A second Ctrl-C exits 130 at once.`,
  backup: `larder backup FILE [--json] [--data-dir DIR]

Writes an encrypted backup of everything in the vault (libraries with their client secrets and tokens, keys of
other systems, settings) to FILE, in the age format with a passphrase: age --decrypt FILE opens it too.
The passphrase (at least 12 characters) comes from LARDER_BACKUP_PASSPHRASE, else it is asked here twice with echo
off; never give it on the command line. The first request from a new terminal session asks in the app.`,
  restore: `larder restore FILE [--dry-run] [--take-over] [--confirm-host HOST]… [--json] [--data-dir DIR]

Restores a backup into the running Larder's vault and says, library by library, what happened. A refresh token
used since the backup (this machine's spent record, or Apicbase refusing the backed-up access token before its
expiry) is marked needs re-authorization and never sent; one Larder cannot judge without sending it is restored
paused (the app's "Refresh it now"). Nothing is ever revoked. Keys of other systems come back as they were.
  --dry-run    what a restore would do (one read at the API per pair it cannot judge); nothing changes
  --take-over  a move's file (export for a move): this machine refreshes its libraries from now on
  --confirm-host HOST  you trust HOST with the backup's tokens (repeat for each). A library or key whose address is
               neither Apicbase's (nor its system's own) nor this computer is restored only with its host confirmed:
               here, or asked "Send tokens to HOST?" on a terminal. Without a terminal the restore is refused, naming
               the host, and nothing is restored; --dry-run lists such hosts and asks them nothing.
The passphrase comes from LARDER_BACKUP_PASSPHRASE, else it is asked here with echo off. Progress goes to stderr.`,
  'export-config': `larder export-config FILE [--json] [--data-dir DIR]

Writes the configuration without secrets to FILE as JSON: each library's name, Apicbase library id, API address,
token type and customer label, and each key's name, system, customer and details. No token, secret or client ID.`,
  refresh: `larder refresh LIB [--json] [--data-dir DIR]

Refreshes LIB's token now (the timer would have done it before it expired) and says until when the new one is good.`,
  lock: `larder lock [--forget] [--data-dir DIR]

Locks Larder now, as "Lock now" in the window and the tray: the window shows only its lock screen, the tray lists no
library, and tokens go on being refreshed in the background. No approval is needed to lock.
While Larder is locked, every other command asks on its terminal "Larder is locked. Passphrase:" (echo off) and, with
the right passphrase, answers that one call (Larder stays locked); with no terminal (a script) it exits 4.
--forget: a vault sealed with a passphrase is also closed and its key forgotten: no token is refreshed until it is
unlocked in the window. A vault sealed by the system keychain cannot forget its key (the keychain hands it back).`,
  agent: `larder agent [--data-dir DIR] [--passphrase-file FILE]

Runs Larder without a window: the same vault, the same refresh timers, the same endpoint for larder. The passphrase
comes from FILE (or LARDER_PASSPHRASE_FILE; a file only you can read), else from a prompt. One data folder has one
refresher: the agent and the desktop app take the same lock, and the second to start says who holds it and stops.
With LARDER_TEAM_DATABASE_URL set and the vault a member of a team, the agent reaches the team's database at that
URL instead of the one saved when it joined (a password the database's administrator changed, another host name from
this server); a database holding another team is refused. A URL Larder refuses (TLS not verified for a server on
another computer, unknown parameters) stops the agent at start, saying why.`,
  team: `larder team status [--json] [--data-dir DIR]
larder team create --name NAME [--ca FILE] [--schema NAME] [--json] [--data-dir DIR]
larder team join --name NAME [--ca FILE] [--schema NAME] [--json] [--data-dir DIR]
larder team approve CODE [--json] [--data-dir DIR]
larder team leave [--yes] [--json] [--data-dir DIR]
larder team take-home [--yes] [--json] [--data-dir DIR]

A team shares its credentials through a PostgreSQL database (README "Share with your team"); these are the window's
Settings → Team, for a Larder without a window (larder agent).
  status     membership (none, joining, member, out), this member's name, the database (its password left out),
             the members, online or offline since when and why; while joining, the code to read out
  create     makes a team on an empty database, with this machine as its first member named NAME
  join       asks to join the team there as NAME: prints the code (alone on stdout) to read out to a member, who
             approves it; this Larder finds out by itself (larder team status: membership member)
  approve    lets the machine whose Larder shows CODE into the team
  leave      this machine leaves the team: its copies of the team's credentials are deleted here, the team keeps them
  take-home  ends the team: every credential comes into this machine's vault; the other members drop their copies
The database's URL comes from LARDER_TEAM_DATABASE_URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE), never from
the command line, where every user of the machine can read it; a URL given there is refused. TLS is verified for a
server on another computer; --ca FILE names the PEM of the CA that signed its certificate when the system does not
trust it. --schema NAME: the schema the team's tables are in (default larder).
leave and take-home ask for confirmation on a terminal; a script confirms with --yes (without a terminal and without
--yes they are refused, exit 2). The database out of reach or refusing this machine (a wrong password, TLS that does
not verify): exit 7, with what it said. Offline from the team database, a team credential that cannot be refreshed or
changed makes larder exit 14.`
}
