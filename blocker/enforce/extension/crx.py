"""A CRX3 file, the package Chromium installs an extension from, built reproducibly.

The same sources and key always give the same bytes: the zip has its entries in name
order with one fixed timestamp and fixed permissions, and an RSA PKCS#1 v1.5 signature
is deterministic. The header is the protobuf `CrxFileHeader` of Chromium's
`components/crx_file/crx3.proto`, of which a signed file needs three fields; they are
encoded here by hand rather than pulling in a protobuf library for ~20 bytes of framing.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from collections.abc import Callable, Mapping

MAGIC = b"Cr24"
VERSION = 3
SIGNATURE_CONTEXT = b"CRX3 SignedData\x00"
# 1980-01-01, the earliest time a zip entry can carry: no trace of when it was built.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Field numbers in crx3.proto.
_HEADER_SHA256_WITH_RSA = 2
_HEADER_SIGNED_HEADER_DATA = 10000
_PROOF_PUBLIC_KEY = 1
_PROOF_SIGNATURE = 2
_SIGNED_DATA_CRX_ID = 1


def extension_id(public_key_der: bytes) -> str:
    """Chromium's ID for a key: the first 16 bytes of the SHA-256 of its DER
    SubjectPublicKeyInfo, each hex digit written as a letter from a to p."""
    digest = hashlib.sha256(public_key_der).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def reproducible_zip(files: Mapping[str, bytes]) -> bytes:
    """The zip of `files` (name → bytes): same input, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # rw-r--r--, whatever the checkout's umask
            entry.create_system = 3  # Unix, so the permissions above are read as such
            archive.writestr(entry, files[name], compresslevel=9)
    return buffer.getvalue()


def signed_message(signed_header_data: bytes, archive: bytes) -> bytes:
    """What a CRX3 signature covers."""
    return (
        SIGNATURE_CONTEXT
        + struct.pack("<I", len(signed_header_data))
        + signed_header_data
        + archive
    )


def crx3(archive: bytes, public_key_der: bytes, sign: Callable[[bytes], bytes]) -> bytes:
    """The CRX3 file for a zip `archive`. `sign` returns the RSA PKCS#1 v1.5 SHA-256
    signature of its argument with the private half of `public_key_der`."""
    crx_id = hashlib.sha256(public_key_der).digest()[:16]
    signed_header_data = _field(_SIGNED_DATA_CRX_ID, crx_id)
    signature = sign(signed_message(signed_header_data, archive))
    proof = _field(_PROOF_PUBLIC_KEY, public_key_der) + _field(_PROOF_SIGNATURE, signature)
    header = _field(_HEADER_SHA256_WITH_RSA, proof) + _field(
        _HEADER_SIGNED_HEADER_DATA, signed_header_data
    )
    return MAGIC + struct.pack("<II", VERSION, len(header)) + header + archive


def read_crx3(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(public key, signature, signed header data, zip) of a CRX3 file this module wrote;
    ValueError for anything else. For tests and for `doctor`, which check what is served."""
    if data[:4] != MAGIC or struct.unpack_from("<I", data, 4)[0] != VERSION:
        raise ValueError("not a CRX3 file")
    (size,) = struct.unpack_from("<I", data, 8)
    header, archive = data[12 : 12 + size], data[12 + size :]
    fields = dict(_fields(header))
    proof = dict(_fields(fields[_HEADER_SHA256_WITH_RSA]))
    return (
        proof[_PROOF_PUBLIC_KEY],
        proof[_PROOF_SIGNATURE],
        fields[_HEADER_SIGNED_HEADER_DATA],
        archive,
    )


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if at >= len(data):
            raise ValueError("a protobuf varint runs past the end")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def _fields(data: bytes) -> list[tuple[int, bytes]]:
    fields, at = [], 0
    while at < len(data):
        tag, at = _read_varint(data, at)
        if tag & 7 != 2:
            raise ValueError("only length-delimited fields are expected in a CRX3 header")
        length, at = _read_varint(data, at)
        fields.append((tag >> 3, data[at : at + length]))
        at += length
    return fields
