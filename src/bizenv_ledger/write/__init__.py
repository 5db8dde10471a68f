"""Changing a ledger: surgical edits, the writers' lock, git plumbing, commits with trailers, history and undo. Imports queries, store and model."""
