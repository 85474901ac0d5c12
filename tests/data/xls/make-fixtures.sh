#!/bin/sh
# Regenerates the .xls (and .ods) fixtures: a flat OpenDocument file written
# here is converted by LibreOffice itself (soffice --headless --convert-to),
# so the binary files are what real office software writes.  Names and codes
# are made up.  Layout: see README.
set -eu
cd "$(dirname "$0")"
H=$(awk -F'\t' '$1=="行政处罚"{print $3}' /work/shared/reference/shuanggongshi-fields.tsv 2>/dev/null ||
    true)
[ -n "$H" ] || H=$(cat headers.txt)
printf '%s\n' "$H" >headers.txt
cell() { printf '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' "$1"; }
{
cat <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>
<table:table table:name="填报说明">
<table:table-row><table:table-cell office:value-type="string"><text:p>填报说明</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>1. 带*号的为必填项。</text:p><text:p>2. 日期格式为 YYYY-MM-DD。</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="行政处罚">
<table:table-row><table:table-cell office:value-type="string"><text:p>行政处罚信息</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>填报单位（盖章）：营口市示例局</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>填报日期：2019年10月1日</text:p></table:table-cell></table:table-row>
X
printf '<table:table-row>'
printf '%s\n' "$H" | while IFS= read -r h; do cell "$h"; done
printf '</table:table-row>\n'
# row 4: a company; row 5: a person, with a cell of two paragraphs
printf '<table:table-row>'
for v in 营口市鑫源商贸有限公司 法人及非法人组织 91210800MA0XY0001A "" "" "" "" "" 张示例 身份证 "" "" "" 营市监罚〔2019〕12号 虚假宣传 违法事实一 《广告法》第五十五条 罚款 罚款五千元; do cell "$v"; done
printf '<table:table-cell office:value-type="float" office:value="0.5"><text:p>0.5</text:p></table:table-cell>'
cell ""; cell ""
printf '<table:table-cell office:value-type="date" office:date-value="2019-03-01"><text:p>2019-03-01</text:p></table:table-cell>'
printf '<table:table-cell office:value-type="date" office:date-value="2020-03-01"><text:p>2020-03-01</text:p></table:table-cell>'
cell ""; cell 营口市示例局; cell 11210800MB0XY0009C; cell 营口市示例局; cell 11210800MB0XY0009C; cell ""
printf '</table:table-row>\n'
printf '<table:table-row>'
cell 王示例; cell 自然人; cell ""; cell ""; cell ""; cell ""; cell ""; cell ""; cell ""; cell ""; cell ""; cell 身份证; cell 210804199001011234; cell 营市监罚〔2019〕13号; cell 无照经营
printf '<table:table-cell office:value-type="string"><text:p>第一段</text:p><text:p>第二段</text:p></table:table-cell>'
printf '</table:table-row>\n'
printf '</table:table>\n</office:spreadsheet></office:body></office:document>\n'
} >shuanggongshi-2019.fods
soffice --headless --convert-to xls --outdir . shuanggongshi-2019.fods >/dev/null 2>&1
mkdir -p ../ods
soffice --headless --convert-to ods --outdir ../ods shuanggongshi-2019.fods >/dev/null 2>&1
# a one-sheet workbook LibreOffice makes from a CSV (title row, 填报单位 line,
# header, a record, a blank row, a record; dates and numbers detected)
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xls --outdir . simple-2019.csv >/dev/null 2>&1
# not a workbook: an OLE2 header followed by junk
{ printf '\320\317\021\340\241\261\032\341'; head -c 2000 /dev/zero; } >not-biff.xls
# simple-2019.xls whose Workbook directory entry (the second of the first
# directory sector, at 5120 + 128) claims a 0x1600-byte name, as the input
# tests/fuzz found: libfreexl 1.0.6 read past its stack buffer
{ head -c 5312 simple-2019.xls; printf '\000\026'; tail -c +5315 simple-2019.xls; } >dir-name-size.xls
# simple-2019.xls whose Root Entry (offset 5120) starts its mini stream at
# sector 1000, past the end of the file: libfreexl 1.0.6 returned an error
# without freeing the mini stream's buffer (a leak tests/fuzz found)
{ head -c 5236 simple-2019.xls; printf '\350\003\000\000'; tail -c +5241 simple-2019.xls; } >mini-stream-outside.xls

# gen-20.xls: 20 generated 行政处罚 rows that import cleanly (xy-gen, LibreOffice's
# CSV filter told the input is UTF-8: 76); needs a build of bench/xy-gen.
if [ -x ../../../build/bench/xy-gen ]; then
	../../../build/bench/xy-gen --rows 20 --seed 7 -o gen-20.csv
	soffice --headless --infilter="CSV:44,34,76,1" --convert-to xls gen-20.csv >/dev/null
	rm -f gen-20.csv
fi
