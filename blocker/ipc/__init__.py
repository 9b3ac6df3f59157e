"""The control channel: the protocol, the person's client, the daemon's server, and the
browser extension's native-messaging host.
"""
