"""Streaming writer of ``teaclave-file-128`` files.

Content is read once, in order, and each data node is encrypted and written as soon as it is
full. MHT nodes need the keys of all their children, so they cannot all be written in one pass
without holding ~1% of the file in memory. Instead, as the SGX SDK does with its node cache, an
MHT node is encrypted and written out (under a fresh key recorded in its parent) as soon as its
data slots are full, and read back if a child MHT later has to update it. Memory stays a few
nodes per tree level whatever the file size.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from teahouse.crypto.files._pfs_layout import (
    CHILDREN_PER_MHT,
    DATA_PER_MHT,
    KEY,
    MD_DATA,
    NODE,
    SLOT,
    Metadata,
    child_slot,
    data_node_phys,
    data_slot,
    encode_name,
    metadata_key,
    mht_node_phys,
    mht_parent,
    pack_metadata,
    pack_plain_part,
    seal,
    unseal,
)


class NodeFile:
    """Node-addressed access to the output; seeks only when not already in place (seeks flush)."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self._pos = f.seek(0)

    def write(self, phys: int, node: bytes) -> None:
        self._goto(phys * NODE)
        self._f.write(node)
        self._pos += len(node)

    def read(self, phys: int) -> bytes:
        self._goto(phys * NODE)
        node = self._f.read(NODE)
        self._pos += len(node)
        return node

    def _goto(self, offset: int) -> None:
        if offset != self._pos:
            self._pos = self._f.seek(offset)


class MhtWriter:
    """Plaintext MHT nodes of a file being written, with finished ones spilled to the file."""

    def __init__(self, f: NodeFile) -> None:
        self._f = f
        self._nodes: dict[int, bytearray] = {0: bytearray(NODE)}  # the root never leaves memory
        self._spilled: set[int] = set()

    def set_data_slot(self, d: int, key: bytes, tag: bytes) -> None:
        at = data_slot(d)
        self._load(d // DATA_PER_MHT)[at : at + SLOT] = key + tag

    def data_complete(self, m: int) -> None:
        """MHT ``m`` has all 96 data slots set; only child MHTs may still change it."""
        if m != 0:
            self._spill(m)

    def finish(self) -> tuple[bytes, bytes]:
        """Write every node still in memory, children first; return the root's key and tag."""
        while len(self._nodes) > 1:
            self._spill(max(self._nodes))
        key = os.urandom(KEY)
        ciphertext, tag = seal(key, bytes(self._nodes[0]))
        self._f.write(mht_node_phys(0), ciphertext)
        return key, tag

    def _load(self, m: int) -> bytearray:
        node = self._nodes.get(m)
        if node is not None:
            return node
        if m in self._spilled:
            parent = self._load(mht_parent(m))
            at = child_slot(m)
            slot = bytes(parent[at : at + SLOT])
            plain = unseal(slot[:KEY], self._f.read(mht_node_phys(m)), slot[KEY:])
            if plain is None:  # our own temporary file changed under us
                raise RuntimeError(f"MHT node {m} written by this process no longer verifies")
            node = bytearray(plain)
            self._spilled.discard(m)
        else:
            node = bytearray(NODE)
        self._nodes[m] = node
        return node

    def _spill(self, m: int) -> None:
        node = self._nodes.pop(m)
        key = os.urandom(KEY)
        ciphertext, tag = seal(key, bytes(node))
        self._f.write(mht_node_phys(m), ciphertext)
        self._spilled.add(m)
        parent = mht_parent(m)
        at = child_slot(m)
        self._load(parent)[at : at + SLOT] = key + tag
        # The last child of a parent is done: the parent is too, unless it is the root.
        if (m - 1) % CHILDREN_PER_MHT == CHILDREN_PER_MHT - 1 and parent != 0:
            self._spill(parent)


def _read_up_to(src: BinaryIO, n: int) -> bytes:
    """Read ``n`` bytes, or fewer only at end of file (pipes may return short reads)."""
    data = src.read(n)
    if not data or len(data) == n:
        return data
    parts = [data]
    got = len(data)
    while got < n and (more := src.read(n - got)):
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def encrypt(src: BinaryIO, dst: BinaryIO, user_key: bytes, name: str) -> bytes:
    """Write ``src`` as a protected file bound to ``name`` into the seekable ``dst``; return the cmac."""
    stored_name = encode_name(name)
    out = NodeFile(dst)
    head = _read_up_to(src, MD_DATA)
    size = len(head)
    mht_key = mht_tag = bytes(KEY)
    if len(head) == MD_DATA:
        mhts = MhtWriter(out)
        d = 0
        while block := _read_up_to(src, NODE):
            size += len(block)
            key = os.urandom(KEY)
            ciphertext, tag = seal(key, block.ljust(NODE, b"\0"))
            out.write(data_node_phys(d), ciphertext)
            mhts.set_data_slot(d, key, tag)
            if d % DATA_PER_MHT == DATA_PER_MHT - 1:
                mhts.data_complete(d // DATA_PER_MHT)
            d += 1
        if d:
            mht_key, mht_tag = mhts.finish()
    meta = Metadata(name=stored_name, size=size, mht_key=mht_key, mht_tag=mht_tag, data=head)
    key_id = os.urandom(32)
    ciphertext, gmac = seal(metadata_key(user_key, key_id), pack_metadata(meta))
    out.write(0, (pack_plain_part(key_id, gmac) + ciphertext).ljust(NODE, b"\0"))
    dst.flush()
    return gmac
