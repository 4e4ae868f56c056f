// What the demo's seeding must leave in the vault (issue 19 item 4): one library in each state, by name. Written
// here once, by hand, for the tests that check the demo from its three sides (the seeding, dev:web, the desktop demo).
export const DEMO_STATES: Readonly<Record<string, string>> = {
  'Brasserie Nord': 'healthy',
  'Café Zuid': 'healthy',
  'Bistro West': 'healthy',
  'Trattoria Oost': 'expiring_soon',
  'Grill Haven': 'error',
  'Bakkerij Brug': 'needs_reauth',
  'Pizzeria Dijk': 'revoked'
}
