"""The commands a message suggests (`sudo blocker daemon`), written to run where the
person runs blocker: under --sandbox DIR, a hint without it would act on the real system.
Used by the CLI for its own words and the daemon's, and by the daemon for what it tells
the tray. Pure, and it imports nothing: `blocker status` prints through it."""

from __future__ import annotations

_LEADS = ("sudo blocker", "blocker")
# What a shell reads as one word without quotes; anything else in a folder's name is quoted.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%~")


def with_sandbox(text: str, sandbox: str | None) -> str:
    """`text` with each `blocker ...` between backticks given `--sandbox sandbox`, unless
    it names a sandbox already (a hint that is about --sandbox itself, or one the daemon
    wrote for its own sandbox). `sudo` goes: a sandbox needs no root, and a daemon run
    with it would leave the sandbox's files to root, out of its person's reach."""
    if not sandbox:
        return text
    if not set(sandbox) <= _PLAIN:
        import shlex  # only for a folder with a space or a quote in its name

        sandbox = shlex.quote(sandbox)
    pieces = text.split("`")
    for index in range(1, len(pieces), 2):  # the odd pieces are between backticks
        code = pieces[index]
        if "--sandbox" in code:
            continue
        for lead in _LEADS:
            if code == lead or code.startswith(f"{lead} "):
                pieces[index] = f"blocker --sandbox {sandbox}{code[len(lead) :]}"
                break
    return "`".join(pieces)
