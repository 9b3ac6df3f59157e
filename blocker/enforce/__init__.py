"""Enforcers: each makes one part of the OS match the desired state, idempotently."""
