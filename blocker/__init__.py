"""blocker: keeps an ex-partner's profiles and sites out of reach for a no-stalking period."""

__version__ = "0.1.0"
