"""Streaming reader of ``teaclave-file-128`` files: one node in memory at a time plus a few MHT nodes."""

from __future__ import annotations

import hmac
from collections import OrderedDict
from typing import BinaryIO

from teahouse.crypto.files._errors import (
    CmacMismatch,
    DecryptionFailed,
    MalformedFile,
    TamperedNode,
    TruncatedFile,
    WrongFileName,
)
from teahouse.crypto.files._pfs_layout import (
    DATA_PER_MHT,
    ENC_PART,
    KEY,
    NODE,
    PLAIN_PART,
    Metadata,
    child_slot,
    data_node_count,
    data_node_phys,
    data_slot,
    metadata_key,
    mht_node_phys,
    mht_parent,
    node_count,
    parse_metadata,
    parse_plain_part,
    unseal,
)

_MHT_CACHE = 64  # far more than the depth of any real tree (depth 6 ≈ 400 TB)


def _read_node(f: BinaryIO, phys: int) -> bytes:
    f.seek(phys * NODE)
    node = f.read(NODE)
    if len(node) != NODE:
        raise TruncatedFile(f"teaclave-file-128 file ends before node {phys}")
    return node


def read_cmac(f: BinaryIO) -> bytes:
    """The file's cmac (the metadata gmac), after checking the clear header."""
    return parse_plain_part(_read_node(f, 0))[1]


class MhtReader:
    """Decrypts MHT nodes on demand, each authenticated by the key and tag in its parent."""

    def __init__(self, f: BinaryIO, root_key: bytes, root_tag: bytes) -> None:
        self._f = f
        self._root = (root_key, root_tag)
        self._cache: OrderedDict[int, bytes] = OrderedDict()

    def get(self, m: int) -> bytes:
        node = self._cache.get(m)
        if node is not None:
            self._cache.move_to_end(m)
            return node
        if m == 0:
            key, tag = self._root
        else:
            parent = self.get(mht_parent(m))
            at = child_slot(m)
            key, tag = parent[at : at + KEY], parent[at + KEY : at + 2 * KEY]
        phys = mht_node_phys(m)
        plain = unseal(key, _read_node(self._f, phys), tag)
        if plain is None:
            raise TamperedNode(phys, "MHT")
        self._cache[m] = plain
        if len(self._cache) > _MHT_CACHE:
            self._cache.popitem(last=False)
        return plain


def open_metadata(
    f: BinaryIO, user_key: bytes, name: str | None, expected_cmac: bytes | None
) -> tuple[Metadata, bytes]:
    """Authenticate the metadata node and check cmac, name and file length; return it and the cmac."""
    node0 = _read_node(f, 0)
    key_id, gmac = parse_plain_part(node0)
    if expected_cmac is not None and not hmac.compare_digest(expected_cmac, gmac):
        raise CmacMismatch(expected_cmac, gmac)
    plain = unseal(metadata_key(user_key, key_id), node0[PLAIN_PART : PLAIN_PART + ENC_PART], gmac)
    if plain is None:
        raise DecryptionFailed(
            "teaclave-file-128 metadata does not verify: wrong key, or the file was modified"
        )
    meta = parse_metadata(plain)
    if name is not None and meta.name != name.encode():
        raise WrongFileName(name, meta.name.decode(errors="replace"))
    length = f.seek(0, 2)
    expected = node_count(meta.size) * NODE
    if length < expected:
        raise TruncatedFile(f"teaclave-file-128 file is {length} bytes, its content needs {expected}")
    if length > expected:
        extra = length - expected
        raise MalformedFile(f"teaclave-file-128 file is {length} bytes, {extra} more than its content")
    return meta, gmac


def decrypt(
    f: BinaryIO, dst: BinaryIO, user_key: bytes, name: str | None, expected_cmac: bytes | None
) -> bytes:
    """Write the content of the seekable file ``f`` to ``dst``; return the cmac.

    Every node is authenticated before its bytes are written, and the metadata (which holds the
    size) is authenticated first, so a truncated or reordered file cannot yield a short output.
    """
    meta, gmac = open_metadata(f, user_key, name, expected_cmac)
    dst.write(meta.data)
    remaining = meta.size - len(meta.data)
    if remaining:
        mhts = MhtReader(f, meta.mht_key, meta.mht_tag)
        for d in range(data_node_count(meta.size)):
            parent = mhts.get(d // DATA_PER_MHT)
            at = data_slot(d)
            phys = data_node_phys(d)
            block = unseal(parent[at : at + KEY], _read_node(f, phys), parent[at + KEY : at + 2 * KEY])
            if block is None:
                raise TamperedNode(phys, "data")
            dst.write(block[: min(remaining, NODE)])
            remaining -= NODE
    return gmac
