"""Reading and checking a ledger on disk: YAML with positions, the pydantic schema, cross-file checks, the cache, atomic files. Imports only model."""
