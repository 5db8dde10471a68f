"""Showing results: terminal tables, JSON, CSV, Markdown, spreadsheets, HTML. Never decides; imports queries, store and model, never write."""
