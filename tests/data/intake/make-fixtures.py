#!/usr/bin/env python3
"""Regenerates the intake fixtures (tests/cli/t0055-intake.sh).

template-2019.fods -> template-2019.xlsx and template-2019.ods (saved by
LibreOffice: `soffice --headless --convert-to xlsx|ods template-2019.fods`).  The layout is the
one units send with the national 2019 双公示 行政处罚 template: an instruction
sheet 填报说明 first, then the data sheet with a title row, a 填报单位/日期 line
and the header on row 3 (header texts: ../../../../shared/reference/
shuanggongshi-fields.tsv and data/samples/).  Rows come from the synthetic
sample data/samples/市场监管局-行政处罚-2019-10.csv (generated, no real
subject); one optional cell says 无, one 罚款金额 is written 0.5万元, and a
column 内部编号 is not a field of the category.
"""
import csv, io, os, subprocess, sys
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..', '..')
src = os.path.join(root, 'data', 'samples', '市场监管局-行政处罚-2019-10.csv')
rows = list(csv.reader(io.StringIO(open(src, 'rb').read().decode('gb18030'))))
header, data = rows[0], rows[1:]
# the sample's first four rows: 001, 002 and 004 are valid, 003's USCC has a
# wrong check character (rejected, as in the sample)
wsh = header.index('行政处罚决定书文号')
good = [r for r in data if r[wsh].endswith(('001号', '002号', '003号', '004号'))]
if len(good) != 4:
    sys.exit('sample rows not found')
fk = header.index('罚款金额（万元）') if '罚款金额（万元）' in header else None
good[0] = list(good[0])
# an optional field written 无, an amount written with its unit
good[0][header.index('法定代表人')] = '无'
if fk is not None:
    good[1] = list(good[1]); good[1][fk] = '0.5万元'

def cell(v):
    return ('<table:table-cell office:value-type="string"><text:p>%s</text:p>'
            '</table:table-cell>' % escape(v)) if v else '<table:table-cell/>'

def row(cells):
    return '<table:table-row>%s</table:table-row>' % ''.join(cell(c) for c in cells)

sheet1 = [['填报说明'], ['1. 行政相对人名称：必填，填写法人、个体工商户或自然人的名称。'],
          ['2. 罚款金额（万元）：以万元为单位，保留六位小数。'], ['3. 本表不得修改表头。']]
sheet2 = [['行政处罚信息（2019年10月）'], ['填报单位：营口市市场监督管理局（示例）', '', '填报日期：2019-11-05'],
          header + ['内部编号']] + [r + ['NB-%d' % i] for i, r in enumerate(good, 1)]

doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" '
       'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
       '<office:body><office:spreadsheet>'
       '<table:table table:name="填报说明">%s</table:table>'
       '<table:table table:name="行政处罚">%s</table:table>'
       '</office:spreadsheet></office:body></office:document>\n') % (
           ''.join(row(r) for r in sheet1), ''.join(row(r) for r in sheet2))
with open(os.path.join(here, 'template-2019.fods'), 'w', encoding='utf-8') as f:
    f.write(doc)
for fmt in ('xlsx', 'ods'):
    subprocess.run(['soffice', '--headless', '--convert-to', fmt, '--outdir', here,
                    os.path.join(here, 'template-2019.fods')], check=True,
                   stdout=subprocess.DEVNULL)
