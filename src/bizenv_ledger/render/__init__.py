"""Rendering: tables, JSON, CSV, Markdown, spreadsheets, HTML. It only shows; it never decides."""
