#!/usr/bin/python3
"""An independent check of grv's transparency log, for the bats tests.

Written from RFC 6962 / RFC 9162 and the C2SP signed-note and
tlog-checkpoint specifications, sharing no code with grv: hashlib for
SHA-256, Debian's python3-nacl for Ed25519.

  tlog_check.py dump ROWS < DUMP      roots and proofs of test_merkle --dump
  tlog_check.py notes VKEY FILE       every note in FILE: signature, body
  tlog_check.py ledger DIR NAME       the root of ledger NAME of DIR
  tlog_check.py proof VKEY OLD NEW P  a consistency proof between two notes
  tlog_check.py receipt VKEY ID R     an inclusion receipt
Each prints what it checked and exits 1 at the first failure.
"""
import base64
import glob
import gzip
import hashlib
import os
import struct
import sys

import nacl.exceptions
import nacl.signing

DASH = "\u2014 "


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def leaf_hash(row):
    return hashlib.sha256(b"\x00" + row).digest()


def row_leaf(row):
    """A ledger row's leaf: its bytes up to and excluding its final comma
    (grv-ledger(5), Checkpoints: the crc, which sealing re-chains, is out)."""
    return leaf_hash(row[:row.rindex(b",")] if b"," in row else row)


def node_hash(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()


def mth(leaves):
    """RFC 6962 2.1, recursively, from the leaf hashes."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, old, n, new, path):
    """RFC 9162 2.1.4.2."""
    if m == n:
        return not path and old == new
    if m == 0 or m > n or not path:
        return False
    if m & (m - 1) == 0:
        path = [old] + list(path)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old and sr == new


def read_vkey(path):
    text = open(path, encoding="utf-8").read().strip()
    name, keyid, key = text.split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if raw[0] != 1 or len(raw) != 33:
        fail("%s: not an Ed25519 verifier key" % path)
    want = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if want.hex() != keyid:
        fail("%s: key id %s, computed %s" % (path, keyid, want.hex()))
    return name, want, nacl.signing.VerifyKey(raw[1:])


def split_notes(data):
    """Notes of a file: text, blank line, signature lines; a blank line
    between notes."""
    notes, lines, cur, state = [], data.split(b"\n"), [], "text"
    if lines and lines[-1] == b"":
        lines.pop()
    for line in lines:
        if state == "text":
            if line == b"":
                if cur:
                    cur.append(line)
                    state = "sigs"
                continue
            cur.append(line)
        elif line.startswith(DASH.encode()):
            cur.append(line)
        else:
            notes.append(b"\n".join(cur) + b"\n")
            cur, state = ([line], "text") if line else ([], "text")
    if cur:
        notes.append(b"\n".join(cur) + b"\n")
    return notes


def open_note(vkey, note):
    """The checkpoint (origin, size, root) of a note signed by VKEY."""
    name, keyid, vk = vkey
    cut = note.rfind(b"\n\n")
    if cut < 0:
        fail("no blank line in note")
    text, sigs = note[:cut + 1], note[cut + 2:]
    ok = False
    for line in sigs.decode().splitlines():
        if not line.startswith(DASH):
            fail("bad signature line %r" % line)
        sname, b64 = line[len(DASH):].split(" ")
        raw = base64.b64decode(b64, validate=True)
        if sname != name or raw[:4] != keyid:
            continue
        try:
            vk.verify(text, raw[4:])
        except nacl.exceptions.BadSignatureError:
            fail("signature does not verify")
        ok = True
    if not ok:
        fail("no signature by %s" % name)
    body = text.decode().split("\n")
    origin, size, root = body[0], int(body[1]), base64.b64decode(body[2])
    if len(root) != 32 or str(size) != body[1]:
        fail("not a checkpoint body")
    return origin, size, root


def ledger_rows(d, name):
    rows = []
    for seg in sorted(glob.glob(os.path.join(d, "ledger", name + "*.csv.gz"))):
        rows += gzip.open(seg, "rb").read().split(b"\n")[1:-1]
    live = os.path.join(d, "ledger", name + ".csv")
    if os.path.exists(live):
        rows += open(live, "rb").read().split(b"\n")[1:-1]
    return rows


def cmd_dump(rowsfile):
    rows = open(rowsfile, "rb").read().split(b"\n")[:-1]
    leaves = [leaf_hash(r) for r in rows]
    roots = [mth(leaves[:n]) for n in range(len(leaves) + 1)]
    counts = {"root": 0, "incl": 0, "cons": 0}
    for line in sys.stdin:
        f = line.split()
        tag, a, b = f[0], int(f[1]), int(f[2])
        hashes = [base64.b64decode(x) for x in f[3:]]
        if tag == "root":
            if hashes[0] != roots[a]:
                fail("root of %d" % a)
        elif tag == "incl":
            if not verify_inclusion(leaves[a], a, b, hashes, roots[b]):
                fail("inclusion of %d in %d" % (a, b))
            if hashes and verify_inclusion(leaves[a], a, b, hashes[:-1],
                                           roots[b]):
                fail("a cut inclusion proof of %d in %d holds" % (a, b))
        elif tag == "cons":
            if not verify_consistency(a, roots[a], b, roots[b], hashes):
                fail("consistency of %d with %d" % (a, b))
            bad = bytes([roots[a][0] ^ 1]) + roots[a][1:]
            if verify_consistency(a, bad, b, roots[b], hashes):
                fail("consistency with a wrong old root holds")
        counts[tag] += 1
    print("roots %(root)d inclusion %(incl)d consistency %(cons)d" % counts)


def main():
    cmd = sys.argv[1]
    if cmd == "dump":
        cmd_dump(sys.argv[2])
    elif cmd == "notes":
        vkey = read_vkey(sys.argv[2])
        for note in split_notes(open(sys.argv[3], "rb").read()):
            origin, size, root = open_note(vkey, note)
            print(origin, size, base64.b64encode(root).decode())
    elif cmd == "ledger":
        leaves = [row_leaf(r) for r in ledger_rows(sys.argv[2], sys.argv[3])]
        print(len(leaves), base64.b64encode(mth(leaves)).decode())
    elif cmd == "proof":
        vkey = read_vkey(sys.argv[2])
        o = open_note(vkey, split_notes(open(sys.argv[3], "rb").read())[-1])
        n = open_note(vkey, split_notes(open(sys.argv[4], "rb").read())[-1])
        lines = open(sys.argv[5]).read().split("\n")
        head = lines[0].split()
        if head != ["consistency", o[0], str(o[1]), str(n[1])] or o[0] != n[0]:
            fail("proof header %r" % lines[0])
        path = [base64.b64decode(x) for x in lines[1:] if x]
        if not verify_consistency(o[1], o[2], n[1], n[2], path):
            fail("the consistency proof does not hold")
        print("consistent", o[0], o[1], n[1])
    elif cmd == "receipt":
        cmd_receipt(read_vkey(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        fail("unknown command " + cmd)


def cmd_receipt(vkey, cid, path):
    lines = open(path, "rb").read().split(b"\n")
    if lines[0] != b"grv-receipt " + cid.encode():
        fail("receipt header %r" % lines[0])
    i, cp, seen = 1, None, []
    while i < len(lines) and lines[i] != b"":
        if lines[i] == b"checkpoint":
            j = i + 1
            while lines[j] != b"":
                j += 1
            j += 1
            while lines[j].startswith(DASH.encode()):
                j += 1
            cp = open_note(vkey, b"\n".join(lines[i + 1:j]) + b"\n")
            i = j
        elif lines[i].startswith(b"row "):
            index = int(lines[i].split()[1])
            row = lines[i + 1]
            path_ = []
            i += 2
            while i < len(lines) and lines[i].startswith(b"path "):
                path_.append(base64.b64decode(lines[i][5:]))
                i += 1
            fields = row.split(b",")
            key = fields[0] if cp[0].endswith("/complaints") else fields[1]
            if key != cid.encode():
                fail("row %d is not of %s" % (index, cid))
            if not verify_inclusion(row_leaf(row), index, cp[1], path_, cp[2]):
                fail("row %d is not in %s %d" % (index, cp[0], cp[1]))
            seen.append("%s:%d" % (cp[0], index))
        else:
            fail("receipt line %r" % lines[i])
    print("included", " ".join(seen))


if __name__ == "__main__":
    main()
