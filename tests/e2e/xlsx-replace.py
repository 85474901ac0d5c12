#!/usr/bin/env python3
"""Copy an XLSX, replacing text in its XML parts (the browser tests' "fixed"
file: tests/e2e/unit.test.mjs).  xlsx-replace.py IN OUT OLD NEW [OLD NEW ...]
Each OLD must occur in the workbook (exit 1 otherwise); entries keep their
order and compression."""
import sys
import zipfile
from xml.sax.saxutils import escape

src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
if len(pairs) % 2:
    sys.exit("xlsx-replace.py: OLD NEW pairs")
found = {old: 0 for old in pairs[0::2]}
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith(".xml"):
            text = data.decode("utf-8")
            for old, new in zip(pairs[0::2], pairs[1::2]):
                found[old] += text.count(escape(old))
                text = text.replace(escape(old), escape(new))
            data = text.encode("utf-8")
        zout.writestr(info, data)
missing = [old for old, n in found.items() if not n]
if missing:
    sys.exit("xlsx-replace.py: not in %s: %s" % (src, ", ".join(missing)))
