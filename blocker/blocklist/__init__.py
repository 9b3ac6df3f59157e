"""The YAML files blocker reads (the block list, the platform and browser catalogs, the
reminders): read with file:line:col, validated, edited in place.
"""
