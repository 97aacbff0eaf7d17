"""Settings for the whole suite."""

import sys

# Each pytest worker rewrites the asserts of every test module it collects (all of them, with
# xdist), about 5 s of CPU per worker, and caches the result in __pycache__ beside the module.
# With PYTHONDONTWRITEBYTECODE set that cache is never written and every run pays again; the
# suite writes it anyway (only into __pycache__, which git ignores).
sys.dont_write_bytecode = False
