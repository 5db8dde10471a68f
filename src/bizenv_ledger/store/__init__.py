"""Reading and checking a ledger on disk: YAML with positions, the pydantic schema, cross-file checks, the cache, atomic files. Imports only model."""

# Set by the program's entry point (cli/main.py), never by a library caller: a loaded ledger is moved
# out of the collector's sight (gc.freeze), since nothing of it is ever garbage while the short-lived
# process runs. At 100,000 measures the collector otherwise scanned its million objects again and
# again for the rest of the command, more than half of the run. A long-lived caller (the tests) keeps
# the collector as it is: a freeze there would keep every cycle alive at that moment for good.
# Here rather than in loader.py, so that setting it imports nothing.
freeze_after_load = False
