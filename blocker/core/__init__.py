"""Pure: the model and every decision about it. No I/O, no YAML, no threads (lint-imports
checks).
"""
