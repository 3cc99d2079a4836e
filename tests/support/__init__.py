"""Test support shared by the tests and the benches: fake Bot APIs, the bot as a process, helpers (no fixtures)."""
