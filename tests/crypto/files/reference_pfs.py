# Reference teaclave-file-128 (SGX protected file v1.0, Teaclave SDK 2.0 layout) reader/writer. Own code.
#
# Test oracle: spec/behaviour.md Appendix A (written by the Teahouse team while studying the format,
# checked against all 15 Teaclave fixtures), reformatted by `ruff format`; the logic is unchanged
# (only the file read now closes its file).
# It holds whole files in memory and is independent of teahouse.crypto.files on purpose.
# ruff: noqa: N806
import os
import struct

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.cmac import CMAC

NODE, MD_DATA, ENC_LEN = 4096, 3072, 3372
FILE_ID, IV = 0x5347585F46494C45, bytes(12)


def _meta_key(user_key, key_id):
    kdf = (
        struct.pack("<I", 1)
        + b"SGX-PROTECTED-FS-METADATA-KEY".ljust(64, b"\0")
        + struct.pack("<IQ", 0, 0)
        + key_id
        + struct.pack("<II", 0x80, 0)
    )
    c = CMAC(algorithms.AES(user_key))
    c.update(kdf)
    return c.finalize()


def _data_phys(d):
    return d + 2 + d // 96


def _mht_phys(m):
    return 1 + 97 * m


def read(path, user_key, expected_cmac=None):
    with open(path, "rb") as f:  # (the appendix reads without closing; pytest flags the leak)
        raw = f.read()
    fid, major, _minor, flags, upd = struct.unpack_from("<QBBBB", raw, 0)
    if fid != FILE_ID or major != 1 or upd != 0 or flags != 1:
        raise ValueError("not a usable protected file")
    gmac = raw[80:96]
    if expected_cmac is not None and gmac != expected_cmac:
        raise ValueError("cmac mismatch")
    pt = AESGCM(_meta_key(user_key, raw[16:48])).decrypt(IV, raw[96 : 96 + ENC_LEN] + gmac, None)
    name = pt[:260].split(b"\0")[0].decode()
    if name != os.path.basename(path):
        raise ValueError("name mismatch")
    size = struct.unpack_from("<Q", pt, 260)[0]
    out = bytearray(pt[300 : 300 + min(size, MD_DATA)])
    if size > MD_DATA:
        mhts = {0: AESGCM(pt[268:284]).decrypt(IV, raw[NODE : 2 * NODE] + pt[284:300], None)}

        def mht(m):
            if m not in mhts:
                par = mht((m - 1) // 32)
                s = 3072 + ((m - 1) % 32) * 32
                p = _mht_phys(m)
                mhts[m] = AESGCM(par[s : s + 16]).decrypt(
                    IV, raw[p * NODE : (p + 1) * NODE] + par[s + 16 : s + 32], None
                )
            return mhts[m]

        d = 0
        while len(out) < size:
            par = mht(d // 96)
            s = (d % 96) * 32
            p = _data_phys(d)
            blk = AESGCM(par[s : s + 16]).decrypt(
                IV, raw[p * NODE : (p + 1) * NODE] + par[s + 16 : s + 32], None
            )
            out += blk[: size - len(out)]
            d += 1
    return bytes(out), gmac


def write(path, user_key, content):
    size = len(content)
    nodes = {}
    rest = content[MD_DATA:]
    D = -(-len(rest) // NODE) if rest else 0
    M = -(-D // 96) if D else 0
    mht_pt = {m: bytearray(NODE) for m in range(M)}
    for d in range(D):
        k = os.urandom(16)
        ct = AESGCM(k).encrypt(IV, rest[d * NODE : (d + 1) * NODE].ljust(NODE, b"\0"), None)
        nodes[_data_phys(d)] = ct[:NODE]
        s = (d % 96) * 32
        mht_pt[d // 96][s : s + 32] = k + ct[NODE:]
    mht_key = mht_tag = bytes(16)
    for m in sorted(mht_pt, reverse=True):
        k = os.urandom(16)
        ct = AESGCM(k).encrypt(IV, bytes(mht_pt[m]), None)
        nodes[_mht_phys(m)] = ct[:NODE]
        if m == 0:
            mht_key, mht_tag = k, ct[NODE:]
        else:
            s = 3072 + ((m - 1) % 32) * 32
            mht_pt[(m - 1) // 32][s : s + 32] = k + ct[NODE:]
    name = os.path.basename(path).encode()
    assert 0 < len(name) < 259
    pt = (
        name.ljust(260, b"\0")
        + struct.pack("<Q", size)
        + mht_key
        + mht_tag
        + content[:MD_DATA].ljust(MD_DATA, b"\0")
    )
    key_id = os.urandom(32)
    ct = AESGCM(_meta_key(user_key, key_id)).encrypt(IV, pt, None)
    meta = (
        struct.pack("<QBBBBHH", FILE_ID, 1, 0, 1, 0, 0, 0) + key_id + bytes(32) + ct[ENC_LEN:] + ct[:ENC_LEN]
    ).ljust(NODE, b"\0")
    nodes[0] = meta
    last = max(nodes)
    with open(path, "wb") as f:
        for p in range(last + 1):
            f.write(nodes.get(p, bytes(NODE)))
    return ct[ENC_LEN:]
