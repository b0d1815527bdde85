"""`make bench`: timings and memory of the portal's main pages against a throwaway database (see run.py)."""
