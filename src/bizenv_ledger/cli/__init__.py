"""The typer commands, thin: parse, call one layer below, show; ``app.command`` is the one place errors become exit codes."""
