#!/bin/sh
# The main job of `make run`, on the embedded SQLite default (var/xinyong.db):
#  1. the demo data that reproduces the seed bulletin (generated, synthetic);
#  2. the shipped sample files imported as the units that report them, with
#     their batch summaries and error reports;
#  3. the bulletin's two statistics tables computed from the data;
#  4. one subject's profile;
#  5. 联合奖惩: a demo employer put on the wage-arrears black list, and what
#     财政局 must do about it for 政府采购 (memorandum 营发改信用〔2019〕266号);
#  6. the HTTP server on that database, its address printed, until Ctrl-C.
set -eu
XY=${1:-build/xinyong}
DB=${2:-var/xinyong.db}
export XINYONG_DB="$DB"
S=data/samples

"$XY" init
echo
echo "== demo data for 2019-01..2019-10 (synthetic; reproduces the bulletin's tables) =="
"$XY" demo --seed 2019
echo
# The samples are counted in November so the January–October tables stay the bulletin's.
echo "== 市场监管局 reports its 行政处罚 (GB18030 CSV) =="
"$XY" import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 "$S/市场监管局-行政处罚-2019-10.csv"
echo
echo "== 市审批局 reports its 行政许可 (XLSX saved by LibreOffice) =="
"$XY" import --unit 市审批局 --category 行政许可 --reported-on 2019-11 "$S/市审批局-行政许可-2019-10.xlsx"
echo
echo "== the latest batches =="
"$XY" batches --limit 5
echo
"$XY" batches --limit 2 --format json |
	jq -r '.[] | select(.error_report) | "error report of batch \(.batch): \(.error_report)"'
echo
echo "== 2019年1—10月 statistics by region and by department =="
"$XY" stats --from 2019-01 --to 2019-10 --by region
echo
"$XY" stats --from 2019-01 --to 2019-10 --by department
echo
# The sample files' first company has a penalty and a licence: both show in its profile.
echo "== a subject's profile: xinyong show 91210803MADE2UMA8E =="
"$XY" show 91210803MADE2UMA8E
echo
# A demo enterprise (generated) on 人社局's wage-arrears list; once is enough on re-runs.
LT=拖欠农民工工资失信联合惩戒对象名单
DOC='营人社欠薪〔2019〕1号（示例）'
CO=$("$XY" list show --all --format json |
	jq -r '[.entries[] | select(.list_type == "地方发布黑名单" and (.subject | startswith("91")))][0].subject')
echo "== 联合奖惩: $CO on the $LT; xinyong check $CO --unit 财政局 --matter 政府采购 =="
if [ "$("$XY" list show --all --type "$LT" --format json |
	jq --arg d "$DOC" '[.entries[] | select(.doc == $d)] | length')" = 0 ]; then
	"$XY" list add --type "$LT" --subject "$CO" --unit 人社局 --doc "$DOC" --from 2019-10-15 \
		--reason 拖欠农民工工资（示例）
fi
"$XY" check "$CO" --unit 财政局 --matter 政府采购 --date 2019-10-31
echo
# 6. The server on the demo database, until Ctrl-C (SIGINT stops it cleanly).
#    $XINYONG_LISTEN picks another address (port 0: any free one).
echo "== xinyong serve: the JSON API (docs/api.md) and the public site (docs/portal.md) at the address below; Ctrl-C stops it =="
exec "$XY" serve --listen "${XINYONG_LISTEN:-127.0.0.1:8080}" --access-log none
