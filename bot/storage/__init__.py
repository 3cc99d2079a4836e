"""All SQL lives here: named async functions over aiosqlite.Row returning frozen dataclasses."""
