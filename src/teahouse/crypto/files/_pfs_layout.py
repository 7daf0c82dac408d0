"""Byte layout of ``teaclave-file-128``: Intel SGX protected-FS v1.0 files as Teaclave writes them.

Pure functions only (no I/O): constants, node numbering, key derivation, metadata packing.
Node 0 is the metadata node; node 1 the root of the Merkle hash tree (MHT); every further node
is a data node or an MHT node at a position fixed by formula (see spec/behaviour.md §4.5).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.cmac import CMAC

from teahouse.crypto.files._errors import InvalidFileName, MalformedFile

NODE = 4096
MD_DATA = 3072  # user bytes held in the metadata node
ENC_PART = 3372  # encrypted part of the metadata node
PLAIN_PART = 96  # plain part of the metadata node, ending with the gmac
NAME_FIELD = 260
NAME_MAX = 258  # the SDK wants strlen(name) < 259
DATA_PER_MHT = 96
CHILDREN_PER_MHT = 32
SLOT = 32  # key[16] || tag[16]
KEY = 16
FILE_ID = 0x5347585F46494C45
IV = bytes(12)

_PLAIN = struct.Struct("<QBBBBHH32s16s16s16s")  # file_id .. gmac, 96 bytes
_META_KEY_LABEL = b"SGX-PROTECTED-FS-METADATA-KEY"


def data_node_phys(d: int) -> int:
    """Physical node number of data node ``d`` (content bytes 3072 + 4096·d onwards)."""
    return d + 2 + d // DATA_PER_MHT


def mht_node_phys(m: int) -> int:
    return 1 + (DATA_PER_MHT + 1) * m


def mht_parent(m: int) -> int:
    return (m - 1) // CHILDREN_PER_MHT


def data_slot(d: int) -> int:
    """Offset, in the plaintext of MHT ``d // 96``, of data node ``d``'s key and tag."""
    return (d % DATA_PER_MHT) * SLOT


def child_slot(m: int) -> int:
    """Offset, in the plaintext of its parent MHT, of MHT ``m``'s key and tag."""
    return DATA_PER_MHT * SLOT + ((m - 1) % CHILDREN_PER_MHT) * SLOT


def data_node_count(size: int) -> int:
    return -(-(size - MD_DATA) // NODE) if size > MD_DATA else 0


def node_count(size: int) -> int:
    """Nodes in a file of ``size`` content bytes, as the SDK lays out a sequentially written file."""
    d = data_node_count(size)
    return 1 + d + -(-d // DATA_PER_MHT)


def metadata_key(user_key: bytes, key_id: bytes) -> bytes:
    """AES-CMAC key derivation of the SGX SDK for the metadata node (node number 0)."""
    kdf_input = (
        struct.pack("<I", 1)
        + _META_KEY_LABEL.ljust(64, b"\0")
        + struct.pack("<IQ", 0, 0)
        + key_id
        + struct.pack("<II", 0x80, 0)
    )
    mac = CMAC(algorithms.AES(user_key))
    mac.update(kdf_input)
    return mac.finalize()


def seal(key: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
    """GCM-encrypt one node under a single-use key: ``(ciphertext, tag)``."""
    out = AESGCM(key).encrypt(IV, plaintext, None)
    return out[:-16], out[-16:]


def unseal(key: bytes, ciphertext: bytes, tag: bytes) -> bytes | None:
    """Inverse of :func:`seal`; ``None`` if the tag does not verify (callers raise their own error)."""
    try:
        return AESGCM(key).decrypt(IV, ciphertext + tag, None)
    except InvalidTag:
        return None


def pack_plain_part(key_id: bytes, gmac: bytes) -> bytes:
    """The 96 clear bytes that open the metadata node, as Teaclave writes them for a user key."""
    return _PLAIN.pack(FILE_ID, 1, 0, 1, 0, 0, 0, key_id, bytes(16), bytes(16), gmac)


def parse_plain_part(node0: bytes) -> tuple[bytes, bytes]:
    """Check the clear header and return ``(key_id, gmac)``.

    These bytes are not authenticated by the format, so every field must hold exactly what a
    user-key file written by the SDK holds; anything else is refused rather than ignored.
    """
    fid, major, minor, flags, update, policy, svn, key_id, cpu_svn, attr, gmac = _PLAIN.unpack_from(node0)
    if fid != FILE_ID:
        raise MalformedFile("not a teaclave-file-128 file (no SGX protected-file header)")
    if major != 1 or minor != 0:
        raise MalformedFile(f"unsupported protected-file version {major}.{minor} (expected 1.0)")
    if flags != 1:
        what = {0: "the SGX sealing key", 2: "no key (integrity only)"}.get(flags, f"mode {flags}")
        raise MalformedFile(f"protected file is encrypted with {what}, not a user key")
    if update != 0:
        raise MalformedFile("protected file was left by an interrupted flush (update flag set)")
    if policy or svn or any(cpu_svn) or any(attr):
        raise MalformedFile("protected-file header has non-zero key policy fields for a user-key file")
    if any(node0[PLAIN_PART + ENC_PART : NODE]):
        raise MalformedFile("protected-file metadata node has non-zero padding")
    return key_id, gmac


@dataclass(frozen=True)
class Metadata:
    """The encrypted part of the metadata node."""

    name: bytes
    size: int
    mht_key: bytes
    mht_tag: bytes
    data: bytes  # first min(size, 3072) content bytes


def pack_metadata(meta: Metadata) -> bytes:
    return (
        meta.name.ljust(NAME_FIELD, b"\0")
        + struct.pack("<Q", meta.size)
        + meta.mht_key
        + meta.mht_tag
        + meta.data.ljust(MD_DATA, b"\0")
    )


def parse_metadata(plaintext: bytes) -> Metadata:
    name = plaintext[:NAME_FIELD].split(b"\0", 1)[0]
    (size,) = struct.unpack_from("<Q", plaintext, NAME_FIELD)
    at = NAME_FIELD + 8
    return Metadata(
        name=name,
        size=size,
        mht_key=plaintext[at : at + KEY],
        mht_tag=plaintext[at + KEY : at + 2 * KEY],
        data=plaintext[at + 2 * KEY : at + 2 * KEY + min(size, MD_DATA)],
    )


def encode_name(name: str) -> bytes:
    """The stored form of a file name; raises ``InvalidFileName`` if the SDK could not store it."""
    raw = name.encode()
    if not 0 < len(raw) <= NAME_MAX or b"\0" in raw or "/" in name:
        raise InvalidFileName(
            f"cannot store file name {name!r} in teaclave-file-128 (1 to {NAME_MAX} bytes, no '/' or NUL)"
        )
    return raw
