#!/usr/bin/env python3
"""Hostile workbooks for the XLSX reader's memory (issue 8): a real workbook
whose shared strings table gets N extra strings of SIZE bytes appended after
its own, referenced by no cell.  The sheet is untouched, so the import's
result is the base workbook's; only memory and time tell the difference.

  hostile-xlsx.py OUT --strings 120 --size 4194304     # 120 x 4 MiB
  hostile-xlsx.py OUT --strings 33000000 --size 1      # 33M tiny strings
  hostile-xlsx.py OUT --strings 1 --size 4194305 --refer 1
      # and a row (r=1001) whose cell A names the first of them

--base XLSX (default: data/samples/市审批局-行政许可-2019-10.xlsx).  The
strings are streamed into the zip, so nothing big is held in memory; the
files compress to a few MB (120 x 4 MiB: ~0.5 MB).  Generated, never
committed.
"""
import argparse
import os
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SST = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--strings", type=int, required=True)
    ap.add_argument("--size", type=int, required=True, help="bytes of each string")
    ap.add_argument("--refer", type=int, default=0,
                    help="add rows 1001.. whose first cell names the first N new strings")
    ap.add_argument("--base", default=os.path.join(
        ROOT, "data", "samples", "市审批局-行政许可-2019-10.xlsx"))
    a = ap.parse_args()
    with zipfile.ZipFile(a.base) as zin, \
            zipfile.ZipFile(a.out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SHEET and a.refer:
                text = data.decode("utf-8")
                first = zin.read(SST).decode("utf-8").count("<si>")
                rows = "".join('<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>'
                               % (1001 + i, 1001 + i, first + i) for i in range(a.refer))
                end = text.rindex("</sheetData>")
                data = (text[:end] + rows + text[end:]).encode("utf-8")
            if info.filename != SST:
                zout.writestr(info.filename, data)
                continue
            text = data.decode("utf-8")
            end = text.rindex("</sst>")
            with zout.open(SST, "w", force_zip64=True) as f:
                f.write(text[:end].encode("utf-8"))
                item = ("<si><t>" + "a" * a.size + "</t></si>").encode()
                # write in pieces of about 4 MiB whatever the item size
                per = max(1, (4 << 20) // len(item))
                piece = item * per
                left = a.strings
                while left >= per:
                    f.write(piece)
                    left -= per
                f.write(item * left)
                f.write(b"</sst>")


if __name__ == "__main__":
    main()
