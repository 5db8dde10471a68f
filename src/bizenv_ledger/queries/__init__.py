"""What the office asks of a ledger: measures as of a date, gaps, scorecards, report snapshots. Pure, ``as_of`` passed in; imports only model."""
