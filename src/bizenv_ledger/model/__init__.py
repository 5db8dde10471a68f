"""The ledger's data, deadline forms, name resolution and the error family: pure, no I/O; imports nothing else of the package."""
