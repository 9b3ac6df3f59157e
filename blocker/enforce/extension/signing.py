"""The extension's signing key: generated once per machine, kept in blocker's state folder.

Why not a key committed to the repository: Chromium force-installs whatever CRX the
update URL serves, provided it is signed by the key behind the extension's ID. A public
key pair would let any local program that takes the loopback port first serve its own
extension under our ID, into every browser of the machine, with access to every page.
A key that only root can read makes that impossible; the cost is an ID per machine, which
the daemon writes into the policy itself.

RSA through Debian's `openssl` command (installed everywhere blocker runs on Linux),
rather than a Python cryptography package the daemon would load for one signature.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from blocker.errors import BlockerError
from blocker.system.atomic import write_atomically

KEY_BITS = 2048  # what Chromium's own packer uses
TIMEOUT = 30.0


def _openssl(*args: str, data: bytes = b"") -> bytes:
    try:
        done = subprocess.run(
            ["openssl", *args], input=data, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BlockerError(f"openssl could not run ({error}); install Debian's openssl") from None
    if done.returncode != 0:
        raise BlockerError(f"openssl {args[0]} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def ensure_key(path: Path) -> Path:
    """The private key at `path`, created there (mode 0600) if it is not there yet."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{KEY_BITS}")
    write_atomically(path, pem, mode=0o600)  # a crash never leaves half a key behind
    return path


def public_key_der(key: Path) -> bytes:
    """The DER SubjectPublicKeyInfo of a private key, as CRX files and IDs use it."""
    return _openssl("pkey", "-in", str(key), "-pubout", "-outform", "DER")


def sign(key: Path, data: bytes) -> bytes:
    """RSA PKCS#1 v1.5 signature of the SHA-256 of `data`."""
    return _openssl("dgst", "-sha256", "-sign", str(key), data=data)


def verify(public_der: bytes, signature: bytes, data: bytes, scratch: Path) -> bool:
    """Whether `signature` is `data` signed by the key; for tests and checks."""
    public, signed = scratch / "public.der", scratch / "signature.bin"
    public.write_bytes(public_der)
    signed.write_bytes(signature)
    args = ("dgst", "-sha256", "-keyform", "DER", "-verify", str(public))
    try:
        _openssl(*args, "-signature", str(signed), data=data)
    except BlockerError:
        return False
    return True
