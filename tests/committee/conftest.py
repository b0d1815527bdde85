"""Committee tests build their data with tests/factories/committee.py (re-exported by tests/committee/helpers.py)."""
