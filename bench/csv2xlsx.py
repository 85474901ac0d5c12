#!/usr/bin/env python3
"""A CSV (UTF-8, e.g. from xy-gen) as an XLSX the way Excel saves text:
every cell a shared string, one sheet.  For timing the XLSX reader on a
normal file (bench/RESULTS.md):  csv2xlsx.py IN.csv OUT.xlsx"""
import csv
import sys
import zipfile
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main(src, out):
    sst, order = {}, []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f, \
                open(src, newline="", encoding="utf-8-sig") as c:
            f.write(('<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>' % NS).encode())
            for n, rec in enumerate(csv.reader(c), 1):
                cells = []
                for i, v in enumerate(rec):
                    if v == "":
                        continue
                    k = sst.get(v)
                    if k is None:
                        k = sst[v] = len(order)
                        order.append(v)
                    cells.append('<c r="%s%d" t="s"><v>%d</v></c>' % (col(i), n, k))
                f.write(('<row r="%d">%s</row>' % (n, "".join(cells))).encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">'
                     % (NS, len(order), len(order))).encode())
            for v in order:
                f.write(('<si><t xml:space="preserve">%s</t></si>' % escape(v)).encode())
            f.write(b"</sst>")
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook %s xmlns:r="%s"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, R))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" '
                   'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                   'Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (R, R))
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
