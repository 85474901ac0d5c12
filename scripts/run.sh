#!/bin/sh
# The main job of `make run`: a database under var/, the sample files imported as the
# units that report them, the batch summaries, the error reports and one subject's profile.
set -eu
XY=${1:-build/xinyong}
DB=${2:-var/xinyong.db}
export XINYONG_DB="$DB"
S=data/samples

"$XY" init
echo
echo "== 市场监管局 reports its 行政处罚 (GB18030 CSV) =="
"$XY" import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 "$S/市场监管局-行政处罚-2019-10.csv"
echo
echo "== 市审批局 reports its 行政许可 (XLSX saved by LibreOffice) =="
"$XY" import --unit 市审批局 --category 行政许可 --reported-on 2019-10 "$S/市审批局-行政许可-2019-10.xlsx"
echo
echo "== batches =="
"$XY" batches --limit 10
echo
"$XY" batches --limit 2 --format json |
	jq -r '.[] | select(.error_report) | "error report of batch \(.batch): \(.error_report)"'
echo
echo "== a subject's profile (xinyong show 营口) =="
code=$("$XY" show 营口 --format json | jq -r '.matches[0].code // .subject.code')
"$XY" show "$code"
