"""The root daemon: the engine (the state machine), the loop around it, the request
handlers, the state file and the urge log.
"""
