#!/bin/sh
# The PostgreSQL backend against the SQLite default (docs/postgresql.md):
# a throw-away cluster (scripts/pg-cluster.sh), the same commands on both
# backends, their outputs compared byte for byte.  TAP on stdout.
# Covers init (schema, registry seeding, re-open, migration in place from 16),
# import and its summary (a file of three chunks renaming subjects too), batches, show, stats by department and region,
# lists (types, add, exit, show, history), a logged check read back,
# commitments, government dishonesty, the 双公示 feed, credit grading and
# 双随机、一公开 inspections, users, tokens, the audit log (show, pages,
# verify), and the server on PostgreSQL (a public profile, a bearer token,
# grades, grade runs and inspection draws).  Timestamps (…T…Z) are masked:
# the two runs happen seconds apart.
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
S=$ROOT/data/samples
T=$(mktemp -d)
n=0 fail=0
. "$ROOT/tests/pg/lib.sh"
cleanup() { [ -n "${KEEP:-}" ] && { echo "# kept $T"; return; }; "$ROOT/scripts/pg-cluster.sh" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
chmod 755 "$T" # the cluster may run as nobody (pg-cluster.sh)
mkdir "$T/pg"
if ! URI=$("$ROOT/scripts/pg-cluster.sh" start "$T/pg"); then
	echo "1..1"
	echo "not ok 1 - start a throw-away PostgreSQL cluster (scripts/deps.sh installs postgresql)"
	exit 1
fi
export XINYONG_KEY_FILE="$T/key"
both() { # $1 name, rest: the command; outputs in $T/{sq,pg}.$1 (databases: SQ_DB, PG_DB)
	name=$1
	shift
	XINYONG_DB="${SQ_DB:-$T/x.db}" "$XY" "$@" >"$T/sq.$name" 2>&1
	echo "exit $?" >>"$T/sq.$name"
	XINYONG_DB="${PG_DB:-$URI}" "$XY" "$@" >"$T/pg.$name" 2>&1
	echo "exit $?" >>"$T/pg.$name"
}
same() { # $1 name, $2 what
	for b in sq pg; do
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<ts>/g' \
			"$T/$b.$1" >"$T/$b.$1.n" && mv "$T/$b.$1.n" "$T/$b.$1"
	done
	if cmp -s "$T/sq.$1" "$T/pg.$1"; then ok "$2"; else
		no "$2"
		diff "$T/sq.$1" "$T/pg.$1" | sed 's/^/# /' | head -20
	fi
}

# as same, with hex hashes (64 digits: digests, the audit chain) and token
# secrets masked too: each is random or covers a timestamp
sameh() {
	for b in sq pg; do
		sed -E 's/[0-9a-f]{64}/<hash>/g; s/xyt_[A-Za-z0-9_-]+/<token>/g' "$T/$b.$1" \
			>"$T/$b.$1.n" && mv "$T/$b.$1.n" "$T/$b.$1"
	done
	same "$@"
}

XINYONG_DB="$URI" "$XY" init >"$T/pg.init" 2>&1
check "init on PostgreSQL" $?
# the schema number: the same on both backends (a PostgreSQL-only step, such
# as partitioning the check log, is a no-op step on SQLite)
SCHEMA=$(sed -n 's/.*schema version \([0-9]*\), 64 units, 27 categories$/\1/p' "$T/pg.init")
XINYONG_DB="$T/schema.db" "$XY" init 2>&1 | grep -q "schema version $SCHEMA, 64 units" && [ "$SCHEMA" -ge 22 ]
check "init: schema $SCHEMA as on SQLite, and the registry seeded (64 units, 27 categories)" $?
XINYONG_DB="$URI" "$XY" init >"$T/pg.init2" 2>&1 && grep -q "64 units" "$T/pg.init2"
check "init again: migrated once, seeded once" $?
XINYONG_DB="$T/x.db" "$XY" init >/dev/null 2>&1

# error reports in one directory for both, so the summaries name the same file
both imp1 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2019-11 "$S/市场监管局-行政处罚-2019-10.csv"
same imp1 "import (csv) summary: PostgreSQL = SQLite"
both imp2 import --reports "$T/reports" --unit 市审批局 --category 行政许可 \
	--reported-on 2019-11 "$S/市审批局-行政许可-2019-10.xlsx"
same imp2 "import (xlsx) summary, sheets and unmapped columns: PostgreSQL = SQLite"
grep -q "rows      12: 9 new, 0 updated, 0 unchanged, 3 rejected" "$T/pg.imp1"
check "import summary on PostgreSQL: 9 new, 3 rejected" $?
both batches batches --format json
same batches "batches --format json: PostgreSQL = SQLite"
both batch1 batches 1 --format json
same batch1 "batches 1 (with its rejected rows): PostgreSQL = SQLite"
both st-department stats --from 2019-11 --to 2019-11 --by department --format csv
same st-department "stats --by department: PostgreSQL = SQLite after the imports"
both st-region stats --from 2019-11 --to 2019-11 --by region --format csv
same st-region "stats --by region (reads 政府失信): PostgreSQL = SQLite"
grep -q '^,合计,8,9,' "$T/pg.st-department"
check "stats: 8 行政许可 and 9 行政处罚 imported" $?

# a re-import adds nothing: the counts stay
both imp3 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 \
	"$S/市场监管局-行政处罚-2019-10.csv"
both st-again stats --from 2019-11 --to 2019-11 --by department --format csv
same st-again "stats after a re-import: PostgreSQL = SQLite"
cmp -s "$T/pg.st-department" "$T/pg.st-again"
check "re-import: no record added twice" $?

n_pg=$(psql "$URI" -Atc "select count(*), count(distinct (unit_id, category_id, key)) from records" 2>/dev/null)
[ "$n_pg" = "17|17" ]
check "records: 17 rows, one per key, after the re-import ($n_pg)" $?
enc=$(psql "$URI" -Atc "select count(*) from records where get_byte(data, 0) <> 1 or length(data) < 45" 2>/dev/null)
[ "$enc" = 0 ]
check "records.data is stored encrypted (version byte 1, nonce and MAC)" $?

# the bulk path (xy_store_records_load: COPY into staging tables on
# PostgreSQL) against SQLite's row-by-row one: a re-import is all unchanged,
# a changed file updates (its old versions kept), renames a subject, and a key
# repeated within the file is rejected as a duplicate
same imp3 "re-import summary (all unchanged): PostgreSQL = SQLite"
grep -q "rows      12: 0 new, 0 updated, 9 unchanged, 3 rejected" "$T/pg.imp3"
check "re-import on PostgreSQL: 0 new, 9 unchanged, 3 rejected" $?
python3 - "$S/市场监管局-行政处罚-2019-10.csv" "$T/changed.csv" <<'PY'
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], 'rb').read().decode('gbk'))))
rows[1][11] = '罚款人民币1千5百元整'       # a changed record: updated, old version kept
rows[1][12] = '0.15'
rows[2][0] = '营口熊岳物流合作社（更名）'  # a renamed subject: record and subject updated
rows.append(list(rows[3]))                  # the same key again: a duplicate, rejected
rows.append(['营口新设商行（示例）', '法人及非法人组织', '91210803MA00000010', '李四', '', '',
             '营市监罚〔2019〕099号'] + rows[1][7:])  # a new subject and record
out = io.StringIO()
csv.writer(out, lineterminator='\r\n').writerows(rows)
open(sys.argv[2], 'wb').write(out.getvalue().encode('gbk'))
PY
both imp4 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2019-12 \
	"$T/changed.csv"
same imp4 "import of a changed file (updated, new, duplicate, rejected): PostgreSQL = SQLite"
grep -q "rows      14: 1 new, 2 updated, 7 unchanged, 4 rejected" "$T/pg.imp4"
check "changed file on PostgreSQL: 1 new, 2 updated, 7 unchanged, 4 rejected" $?
both batch4 batches 4 --format json
same batch4 "the changed file's batch and rejected rows (the duplicate among them): PostgreSQL = SQLite"
both showv show 91210803MADE2UMA8E --format json
same showv "show of the updated subject (2 versions): PostgreSQL = SQLite"
grep -q '"versions":2' "$T/pg.showv"
check "the updated record has its previous version kept on PostgreSQL" $?
both showr show 91210802H59ED1Y524 --format json
same showr "show of the renamed subject: PostgreSQL = SQLite"
grep -q '（更名）' "$T/pg.showr"
check "the renamed subject's name on PostgreSQL is the file's new one" $?


# a profile: records, list entries, commitments, 政府失信, cases
CO=91210803MADE2UMA8E # a subject of both sample files
both show show "$CO" --format json
same show "show --format json: PostgreSQL = SQLite"
grep -q '"code":"91210803MADE2UMA8E"' "$T/pg.show"
check "show on PostgreSQL: the subject's code reads back" $?

# lists: types, an entry with a linked person, its exit and history
LT=拖欠农民工工资失信联合惩戒对象名单
DOC='营人社欠薪〔2026〕1号'
both ltypes list types --format json
same ltypes "list types --format json: PostgreSQL = SQLite"
both watch watch add --unit 财政局 "$CO"
same watch "watch add: PostgreSQL = SQLite"
both ladd list add --type "$LT" --subject "$CO" --unit 人社局 --doc "$DOC" --from 2026-06-01 \
	--person 法定代表人:210802198506121036:张某 --format json
same ladd "list add (with a linked person): PostgreSQL = SQLite"
both ladd2 list add --type "$LT" --subject "$CO" --unit 人社局 --doc "$DOC" --from 2026-06-01
same ladd2 "list add of the same entry again: the same answer"
grep -q "^entry 1 " "$T/pg.ladd2"
check "list add again on PostgreSQL: the existing entry 1, no second one" $?
both notices notices --unit 财政局 --format json
same notices "notices of a watched subject's new entry: PostgreSQL = SQLite"
grep -q "$DOC" "$T/pg.notices"
check "notices on PostgreSQL: the new entry reached the watching unit" $?
both lshow list show --type "$LT" --as-of 2026-07-01 --format json
same lshow "list show --as-of: PostgreSQL = SQLite"
both chk check "$CO" --unit 财政局 --matter 政府采购 --date 2026-07-01 --format json
same chk "check (logged): PostgreSQL = SQLite"
both chk1 checks 1 --format json
same chk1 "checks 1 (the logged check read back): PostgreSQL = SQLite"
both chks checks --unit 财政局 --format json
same chks "checks --unit (the log, newest first): PostgreSQL = SQLite"
both nread notices read --unit 财政局 --all
same nread "notices read --all: PostgreSQL = SQLite"
both wlist watch list --unit 财政局 --format json
same wlist "watch list: PostgreSQL = SQLite"
both wrm watch remove --unit 财政局 "$CO"
same wrm "watch remove: PostgreSQL = SQLite"
both lexit list exit 1 --how 修复 --date 2026-12-01
same lexit "list exit: PostgreSQL = SQLite"
both lexit2 list exit 1 --how 修复 --date 2026-12-02
same lexit2 "list exit twice: the same refusal"
both lall list show --all --type "$LT" --as-of 2026-12-02 --format json
same lall "list show --all after the exit: PostgreSQL = SQLite"

# commitments and government dishonesty, then the profile with all of them
both cn commitment add --subject "$CO" --unit 站前区 --type 主动型 --date 2026-04-01 --format json
same cn "commitment add (numbered CN<id>): PostgreSQL = SQLite"
both cnl commitment list --format json
same cnl "commitment list: PostgreSQL = SQLite"
both gd gov-dishonesty add --body 11210802MB0000001U --body-name 营口市站前区某局（示例） \
	--district 站前区 --case-type 拖欠企业账款 --source S1 --date 2026-03-01 --format json
same gd "gov-dishonesty add: PostgreSQL = SQLite"
both gdl gov-dishonesty list --format json
same gdl "gov-dishonesty list: PostgreSQL = SQLite"
both show2 show "$CO" --format json
same show2 "show with list entries and a commitment: PostgreSQL = SQLite"
both st-region2 stats --from 2026-03 --to 2026-03 --by region --format csv
same st-region2 "stats --by region with 政府失信: PostgreSQL = SQLite"

# 双公示 feed, newest first, a page at a time
both pub publicity penalties --format json
same pub "publicity penalties (行政处罚): PostgreSQL = SQLite"
both pub2 publicity licensing --limit 3 --format json
same pub2 "publicity licensing (行政许可), a page of 3: PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.pub2" && [ "$(grep -o '"key":' "$T/pg.pub2" | wc -l)" -ge 3 ]
check "publicity on PostgreSQL: a full page of 3 (and a cursor to the next)" $?
both pub3 publicity licensing --limit 3 --after "$(sed -n 's/.*"next":"\([^"]*\)".*/\1/p' "$T/sq.pub2")" --format json
same pub3 "publicity licensing, the second page by cursor: PostgreSQL = SQLite"

# credit grading (issue 12, schema 17): the same run, grades, explanations and
# history on both; the active black-list entry (2026-06-01, exited 2026-12-01)
# forces its subject to D on 2026-07-01
both grun grade run --date 2026-07-01 --format json
same grun "grade run --date: PostgreSQL = SQLite"
grep -q '"subjects":[1-9]' "$T/pg.grun"
check "grade run on PostgreSQL graded the subjects" $?
both gshow grade show "$CO" --format json
same gshow "grade show (score, grade, explanation): PostgreSQL = SQLite"
grep -q '"grade":"D"' "$T/pg.gshow"
check "grade show on PostgreSQL: the listed subject forced to D" $?
both glist grade list --explain --format json
same glist "grade list --explain --format json: PostgreSQL = SQLite"
both grun2 grade run --date 2026-07-01 --subjects-of-batch 2 --format json
same grun2 "grade run --subjects-of-batch (incremental): PostgreSQL = SQLite"
both glistD grade list --grade D --format json
same glistD "grade list --grade D (each subject's latest run): PostgreSQL = SQLite"
both glist1 grade list --run 1 --format json
same glist1 "grade list --run 1: PostgreSQL = SQLite"
both gruns grade runs --format json
same gruns "grade runs (newest first): PostgreSQL = SQLite"
both ghist grade history "$CO" --format json
same ghist "grade history: PostgreSQL = SQLite"
printf 'model\tx\nfrobnicate\n' >"$T/bad-model.tsv"
both gbad grade run --model "$T/bad-model.tsv"
same gbad "a bad model: the same refusal naming the line"
both gnone grade show 91210802MA0XYQZ99X
same gnone "grade show of an ungraded code: the same refusal"
# public grades (the setting in the audit log): off, then on, the public profile's grade
both gpub0 show --public "$CO" --as-of 2026-07-01 --format json
same gpub0 "show --public while grades are not public: PostgreSQL = SQLite"
both gpubon grade publish on --format json
same gpubon "grade publish on: PostgreSQL = SQLite"
both gpub1 show --public "$CO" --as-of 2026-07-01 --format json
same gpub1 "show --public with the grade: PostgreSQL = SQLite"
grep -q '"grade":{"grade":"D"' "$T/pg.gpub1"
check "the public profile on PostgreSQL carries the grade" $?
both gpuboff grade publish off --format json
same gpuboff "grade publish off: PostgreSQL = SQLite"

# 双随机、一公开 (issue 12, schema 18): a plan, a draw whose grades come from
# the grading above, verify, results, report and the published bundle
cat >"$T/plan.json" <<'J'
{"name":"双随机抽查（PostgreSQL 测试）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "ratios":{"A":0.03,"B":"5%","C":0.2,"D":1},"team_size":2,
 "inspectors":[{"name":"检查员01","unit":"市场监管局","district":"站前区"},
  {"name":"检查员02","unit":"市场监管局","district":"西市区"},
  {"name":"检查员03","unit":"市场监管局","district":"老边区"}]}
J
{
	printf '主体代码\t区域\n'
	printf '%s\t站前区\n' "$CO"
	i=1
	while [ $i -le 60 ]; do printf 'S%04d\t西市区\n' $i; i=$((i + 1)); done
} >"$T/subjects.tsv"
both iplan inspect plan add "$T/plan.json"
same iplan "inspect plan add: PostgreSQL = SQLite"
both iplan2 inspect plan add "$T/plan.json"
same iplan2 "inspect plan add of the same plan again: the same refusal"
both ipshow inspect plan show 1
same ipshow "inspect plan show: PostgreSQL = SQLite"
both idraw inspect draw 1 --subjects "$T/subjects.tsv" --random '2026-11-25 福彩3D 417' --format json
sameh idraw "inspect draw: PostgreSQL = SQLite"
both iver inspect verify 1
sameh iver "inspect verify: PostgreSQL = SQLite"
grep -q '一致' "$T/pg.iver" && grep -q '^exit 0$' "$T/pg.iver"
check "inspect verify on PostgreSQL: identical" $?
both iver99 inspect verify 99
same iver99 "inspect verify of no draw: the same refusal"
both ipshow99 inspect plan show 99
same ipshow99 "inspect plan show of no plan: the same refusal"
both ires inspect result 1 "$CO" 责令整改
same ires "inspect result: PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.ires"
check "inspect result on PostgreSQL: recorded for the D subject, drawn at 100 %" $?
both ires2 inspect result 1 "$CO" 未发现问题
same ires2 "a second result for one target: the same refusal"
both ires3 inspect result 1 S9999 未发现问题
same ires3 "a result for a subject not drawn: the same refusal"
both irep inspect report 1 --format json
same irep "inspect report: PostgreSQL = SQLite"
both irept inspect report
same irept "inspect report (table, per unit): PostgreSQL = SQLite"
XINYONG_DB="$T/x.db" "$XY" inspect export 1 --dir "$T/pub.sq" >/dev/null 2>&1 &&
	XINYONG_DB="$URI" "$XY" inspect export 1 --dir "$T/pub.pg" >/dev/null 2>&1
check "inspect export on both" $?
for b in sq pg; do # the text files masked (the .xlsx copies hold the same cells)
	mkdir -p "$T/pubn.$b"
	ls "$T/pub.$b" >"$T/pubn.$b/files"
	for f in "$T/pub.$b"/*.txt "$T/pub.$b"/*.tsv "$T/pub.$b"/*.csv "$T/pub.$b"/*.json; do
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/<ts>/g; s/[0-9a-f]{64}/<hash>/g' "$f" \
			>"$T/pubn.$b/${f##*/}"
	done
done
d=$(diff -r "$T/pubn.sq" "$T/pubn.pg")
[ -z "$d" ] && grep -q "^$CO,责令整改," "$T/pub.pg/results.csv"
check "inspect export: the published files the same on both (but timestamps and digests)" $?
[ -z "$d" ] || echo "$d" | head -10 | sed 's/^/# /'
grep -q "^target	$CO	D	" "$T/pub.pg/draw.txt"
check "the draw on PostgreSQL took the subject's grade D from the grading runs" $?
XINYONG_DB="/nonexistent/x.db" "$XY" inspect verify --inputs "$T/pub.pg" >"$T/pg.ibundle" 2>&1
check "the bundle exported from PostgreSQL verifies without a database" $?
psql "$URI" -Atc "update inspect_draws set random = 'y'" >"$T/pg.iupd" 2>&1
[ $? != 0 ] && grep -q 'inspect_draws is append-only' "$T/pg.iupd"
check "a draw cannot be changed on PostgreSQL (trigger)" $?
psql "$URI" -Atc "delete from inspect_draws" >"$T/pg.idel" 2>&1
[ $? != 0 ] && grep -q 'inspect_draws is append-only' "$T/pg.idel"
check "nor deleted" $?
psql "$URI" -Atc "update inspect_plans set name = 'y'" >"$T/pg.iupd2" 2>&1
[ $? != 0 ] && grep -q 'inspect_plans is append-only' "$T/pg.iupd2"
check "nor a plan changed" $?

# users, tokens and the audit log (issue 9's tables), compared with sameh.
PW="$T/pw"
echo 'correct horse battery' >"$PW"
both uadd user add boss --role admin --password-file "$PW"
same uadd "user add (admin): PostgreSQL = SQLite"
both uadd2 user add op --role unit --unit 市审批局 --password-file "$PW"
same uadd2 "user add (unit): PostgreSQL = SQLite"
both uadd3 user add boss --role admin --password-file "$PW"
same uadd3 "user add of an existing name: the same refusal"
both uadd4 user add aud --role auditor --password-file "$PW"
same uadd4 "user add after a refused one: the next id, no gap"
both udis user disable op
same udis "user disable: PostgreSQL = SQLite"
both ulist user list --format json
same ulist "user list --format json: PostgreSQL = SQLite"
both tc1 token create --role unit --unit 市审批局 --expires 2099-01-01 --label t1
sameh tc1 "token create (unit): PostgreSQL = SQLite"
both tc2 token create --role auditor --expires 2099-01-01 --label t2
both trev token revoke 1
same trev "token revoke: PostgreSQL = SQLite"
both trev2 token revoke 1
same trev2 "token revoke again: the same refusal"
both trev3 token revoke 99
same trev3 "token revoke of no token: the same refusal"
both tlist token list --format json
same tlist "token list --format json (newest first): PostgreSQL = SQLite"
both ashow audit show --format json
sameh ashow "audit show --format json: PostgreSQL = SQLite"
both adesc audit show --desc --limit 3 --format json
sameh adesc "audit show --desc --limit 3: PostgreSQL = SQLite"
nx=$(sed -n 's/.*"next":\([0-9]*\).*/\1/p' "$T/sq.adesc")
both adesc2 audit show --desc --limit 3 --before "$nx" --format json
sameh adesc2 "audit show --desc, the next page (--before $nx): PostgreSQL = SQLite"
both aasc audit show --limit 2 --after 1 --action user.add --to 2099-01-01 --format json
sameh aasc "audit show --after --action --to (asc page): PostgreSQL = SQLite"
both aver audit verify
sameh aver "audit verify: PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.aver"
check "audit verify on PostgreSQL: the chain holds" $?

# reports, applications, units, the city index, quality: each backend in its
# own working directory (files it writes: the report's PDF, the attachments a
# PostgreSQL database keeps under ./), the same relative names in the answers
DB_sq=$T/x.db DB_pg=$URI
inboth() { # as both, run from $T/cwd.sq and $T/cwd.pg
	name=$1
	shift
	for b in sq pg; do
		eval "db=\$DB_$b"
		mkdir -p "$T/cwd.$b"
		(cd "$T/cwd.$b" && XINYONG_DB="$db" "$XY" "$@") >"$T/$b.$name" 2>&1
		echo "exit $?" >>"$T/$b.$name"
	done
}
maskcode() { # the verification code covers the issue time: masked
	for b in sq pg; do
		sed -E 's/"code":"[A-Z0-9]{4}-[A-Z0-9-]*"/"code":"<code>"/; s/"bytes":[0-9]+/"bytes":<n>/' \
			"$T/$b.$1" >"$T/$b.$1.n" && mv "$T/$b.$1.n" "$T/$b.$1"
	done
}
inboth rep report credit "$CO" -o rep.pdf --date 2026-12-02 --format json
RN=$(sed -n 's/.*"number":"\([^"]*\)".*/\1/p' "$T/pg.rep")
RC_sq=$(sed -n 's/^{"number":"[^"]*","code":"\([^"]*\)".*/\1/p' "$T/sq.rep")
RC_pg=$(sed -n 's/^{"number":"[^"]*","code":"\([^"]*\)".*/\1/p' "$T/pg.rep")
maskcode rep
sameh rep "report credit (numbered, stored, verification code): PostgreSQL = SQLite"
# the number carries the day of issue (today), not --date's as-of day
grep -Eq '"number":"XY[0-9]{8}0{5}1"' "$T/pg.rep" && [ -s "$T/cwd.pg/rep.pdf" ]
check "report credit on PostgreSQL: numbered XY<today>000001, the PDF written" $?
inboth rep2 report credit "$CO" -o rep2.pdf --date 2026-12-02 --format json
maskcode rep2
sameh rep2 "a second report the same day: the next number on both"
inboth repv report verify "$RN" rep.pdf --format json
sameh repv "report verify NUMBER FILE: PostgreSQL = SQLite"
grep -q genuine "$T/pg.repv"
check "report verify on PostgreSQL: the issued PDF is genuine" $?
for b in sq pg; do # each backend's own code (it covers the issue time)
	eval "db=\$DB_$b c=\$RC_$b"
	XINYONG_DB="$db" "$XY" report verify "$RN" --code "$c" --format json >"$T/$b.repc" 2>&1
	echo "exit $?" >>"$T/$b.repc"
done
maskcode repc
sameh repc "report verify --code: PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.repc"
check "report verify --code on PostgreSQL: the number and its code were issued together" $?
inboth repx report verify XY20261202999 --code "$RC_pg" --format json
same repx "report verify of an unknown number: the same answer"
for b in sq pg; do # the secret is random: kept for show, then masked
	eval "db=\$DB_$b"
	(cd "$T/cwd.$b" && XINYONG_DB="$db" "$XY" application submit --kind objection --record 1 \
		--subject "$CO" --applicant 张三 --contact 13800000000 --reason 记录有误 \
		--attach "$T/cwd.sq/rep.pdf" --date 2019-12-02 --format json) >"$T/$b.app" 2>&1
	echo "exit $?" >>"$T/$b.app"
	eval "SEC_$b=\$(sed -n 's/.*\"secret\":\"\([^\"]*\)\".*/\1/p' \"\$T/\$b.app\")"
	sed -E 's/"secret":"[^"]*"/"secret":"<s>"/' "$T/$b.app" >"$T/$b.app.n" && mv "$T/$b.app.n" "$T/$b.app"
done
same app "application submit (objection, a PDF attached): PostgreSQL = SQLite"
AR=$(sed -n 's/.*"receipt":"\([^"]*\)".*/\1/p' "$T/pg.app")
[ -n "$AR" ] && [ -n "$SEC_pg" ]
check "application submit on PostgreSQL: a receipt ($AR) and a secret" $?
for b in sq pg; do
	eval "db=\$DB_$b sec=\$SEC_$b"
	XINYONG_DB="$db" "$XY" application show "${AR:-none}" --secret "$sec" --as-of 2019-12-03 \
		--format json >"$T/$b.appshow" 2>&1
	echo "exit $?" >>"$T/$b.appshow"
	XINYONG_DB="$db" "$XY" application show "${AR:-none}" --secret wrong --format json \
		>"$T/$b.appbad" 2>&1
	echo "exit $?" >>"$T/$b.appbad"
done
same appshow "application show with its secret (the contact read back): PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.appshow"
check "application show on PostgreSQL: exit 0" $?
inboth app2 application submit --kind objection --record 1 --subject "$CO" --applicant 张三 \
	--contact 13800000000 --reason 记录有误 --date 2019-12-02 --format json
same app2 "a second application for the same record: the same answer"
same appbad "application show with a wrong secret: the same refusal"
inboth uadd registry units add 测试局 --kind 部门
same uadd "registry units add: PostgreSQL = SQLite"
inboth uadd2 registry units add 测试局 --kind 部门
same uadd2 "registry units add of an existing name: the same refusal"
inboth uren registry units rename 测试局 新测试局
same uren "registry units rename: PostgreSQL = SQLite"
inboth uren2 registry units add 测试局 --kind 部门
same uren2 "registry units add of a former name: the same refusal"
inboth uren3 registry units rename 新测试局 测试局
same uren3 "registry units rename back to the former name: PostgreSQL = SQLite"
inboth ulist registry units --format json
same ulist "registry units (with former names): PostgreSQL = SQLite"
grep -q 测试局 "$T/pg.ulist"
check "registry units on PostgreSQL: the added unit is listed" $?
inboth ix1 index add 2026-01 87.25 12
inboth ix2 index add 2026.02 88.1 9
inboth ix3 index add 2026-01 86.5 14
same ix3 "index add (a month again replaces it): PostgreSQL = SQLite"
inboth ix4 index import "$S/city-index-2019.tsv"
same ix4 "index import: PostgreSQL = SQLite"
inboth ixs index show --format json
same ixs "index show: PostgreSQL = SQLite"
grep -q '"score":86.5' "$T/pg.ixs"
check "index show on PostgreSQL: the replaced month reads 86.5" $?
inboth q quality --from 2019-01 --to 2019-12 --format json
same q "quality --format json: PostgreSQL = SQLite"
inboth qu quality --from 2019-01 --to 2019-12 --by-unit --format json
same qu "quality --by-unit: PostgreSQL = SQLite"
inboth qm quality --from 2019-11 --to 2019-11 --unit 市场监管局 --format json
same qm "quality --unit (rejected rows and reasons): PostgreSQL = SQLite"

# the server on PostgreSQL: the same public answers, a bearer token, the
# grading and inspection routes
serve() { # $1 sq|pg|…, $2 the database, rest: more options: starts it, sets B_$1 and P_$1
	sv=$1 svdb=$2
	shift 2
	XINYONG_DB="$svdb" "$XY" serve --listen 127.0.0.1:0 --spool "$T/spool.$sv" "$@" \
		>"$T/serve.$sv" 2>"$T/serve.$sv.err" &
	eval "P_$sv=$!"
	i=0
	while [ $i -lt 100 ]; do
		u=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$T/serve.$sv" 2>/dev/null)
		[ -n "$u" ] && { eval "B_$sv=$u"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
serve pg "$URI"
check "serve on PostgreSQL starts and prints its address" $?
serve sq "$T/x.db"
B_pg=${B_pg:-http://127.0.0.1:9} B_sq=${B_sq:-http://127.0.0.1:9}
st=$(curl -s -o /dev/null -w '%{http_code}' "$B_pg/readyz")
[ "$st" = 200 ]
check "serve on PostgreSQL: /readyz 200 ($st)" $?
curl -s "$B_sq/api/v1/subjects/$CO" >"$T/sq.http-subject"
curl -s "$B_pg/api/v1/subjects/$CO" >"$T/pg.http-subject"
same http-subject "GET /api/v1/subjects/{code} (public profile): PostgreSQL = SQLite"
grep -q "$CO" "$T/pg.http-subject"
check "the public profile on PostgreSQL names the subject" $?
for b in sq pg; do # an admin token on each: GET /api/v1/batches
	eval "db=\$DB_$b u=\$B_$b"
	tok=$(XINYONG_DB="$db" "$XY" token create --role admin --expires 2099-01-01 2>/dev/null)
	eval "TOK_$b=\$tok"
	curl -s -o "$T/$b.http-batches" -w '%{http_code}' -H "Authorization: Bearer $tok" \
		"$u/api/v1/batches" >"$T/$b.http-batches.st"
	for q in 'grades?grade=D' 'grades?run=1&explain=1' "subjects/$CO/grades"; do
		curl -s -w ' %{http_code}\n' -H "Authorization: Bearer $tok" "$u/api/v1/$q"
	done >"$T/$b.http-grades"
	for q in inspection-draws inspection-draws/1 inspection-draws/1/verify inspection-plans/1; do
		curl -s -w ' %{http_code}\n' -H "Authorization: Bearer $tok" "$u/api/v1/$q"
	done >"$T/$b.http-inspect"
done
[ "$(cat "$T/pg.http-batches.st")" = 200 ] && grep -q '"batch":1,' "$T/pg.http-batches"
check "a bearer token (admin) on PostgreSQL: GET /api/v1/batches 200" $?
same http-batches "GET /api/v1/batches with a token: PostgreSQL = SQLite"
same http-grades "GET /api/v1/grades (?grade, ?run&explain) and a subject's grades: PostgreSQL = SQLite"
[ "$(grep -c ' 200$' "$T/pg.http-grades")" = 3 ] && grep -q "$CO" "$T/pg.http-grades"
check "the grades routes on PostgreSQL: 200, no longer 501" $?
sameh http-inspect "GET /api/v1/inspection-draws, a draw, its verify, a plan: PostgreSQL = SQLite"
[ "$(grep -c ' 200$' "$T/pg.http-inspect")" = 4 ]
check "the inspection routes on PostgreSQL: 200, no longer 501" $?
# A statement a worker has prepared (pg_stmt.c) whose result type a schema
# change made elsewhere alters fails once with SQLSTATE 0A000 inside the
# request's read transaction, is forgotten and prepared again: a server
# without its answer cache (every request reads), two workers, profiles until
# each worker has prepared its statements, subjects.name made varchar and back
if serve p0 "$URI" --cache 0 --workers 2; then
	for i in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null "$B_p0/api/v1/subjects/$CO"; done
	psql "$URI" -qc 'ALTER TABLE subjects ALTER COLUMN name TYPE varchar' 2>"$T/p0.alter"
	for i in $(seq 1 30); do
		curl -s -o "$T/pg.http-p0" -w '%{http_code}\n' "$B_p0/api/v1/subjects/$CO"
	done >"$T/p0.codes"
	psql "$URI" -qc 'ALTER TABLE subjects ALTER COLUMN name TYPE text' 2>>"$T/p0.alter"
	kill "$P_p0" 2>/dev/null
	wait "$P_p0" 2>/dev/null
fi
p0_failed=$(grep -vc '^200$' "$T/p0.codes" 2>/dev/null)
[ ! -s "$T/p0.alter" ] && [ "${p0_failed:-99}" -le 2 ] &&
	[ "$(tail -n 1 "$T/p0.codes" 2>/dev/null)" = 200 ] && cmp -s "$T/pg.http-p0" "$T/pg.http-subject"
check "after a schema change alters prepared statements' results: at most a request a worker fails ($p0_failed of 30), then the same profile" $?
[ "${p0_failed:-0}" -ge 1 ]
check "… and one did fail (8 profiles before the change: a worker had prepared its statements)" $?
st=$(curl -s -o /dev/null -w '%{http_code}' "$B_pg/api/v1/batches")
[ "$st" = 401 ]
check "without a token: 401 ($st)" $?
# a session: login (writes it), read back by its cookie, logout (deletes it)
J="$T/jar"
st=$(curl -s -c "$J" -o "$T/pg.login" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"name":"boss","password":"correct horse battery"}' "$B_pg/api/v1/session")
csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/pg.login")
[ "$st" = 201 ] && [ -n "$csrf" ]
check "login on PostgreSQL: 201 with a CSRF token ($st)" $?
curl -s -b "$J" "$B_pg/api/v1/session" | grep -q '"user":"boss"'
check "the session cookie reads back as boss" $?
st=$(curl -s -b "$J" -o /dev/null -w '%{http_code}' -X DELETE -H "X-CSRF-Token: $csrf" \
	"$B_pg/api/v1/session")
st2=$(curl -s -b "$J" -o /dev/null -w '%{http_code}' "$B_pg/api/v1/session")
[ "${st%??}" = 2 ] && [ "$st2" = 401 ]
check "logout ends the session: $st, then 401 ($st2)" $?
st=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"name":"op","password":"correct horse battery"}' "$B_pg/api/v1/session")
[ "$st" = 401 ] || [ "$st" = 403 ]
check "a disabled user's login is refused ($st)" $?
for b in sq pg; do # every op is written now: the route that answered 501 last
	eval "u=\$B_$b tok=\${TOK_$b:-}"
	curl -s -w ' %{http_code}\n' -H "Authorization: Bearer $tok" "$u/api/v1/grade-runs" \
		>"$T/$b.http-runs"
done
same http-runs "GET /api/v1/grade-runs (501 before grading on PostgreSQL): PostgreSQL = SQLite"
grep -q ' 200$' "$T/pg.http-runs"
check "GET /api/v1/grade-runs on PostgreSQL: 200 ($(tail -c 5 "$T/pg.http-runs"))" $?
for b in pg sq; do
	eval "p=\${P_$b:-}"
	[ -n "$p" ] || continue
	kill -TERM "$p"
	wait "$p"
	rc=$?
	[ $b = pg ] && { [ $rc = 0 ]; check "serve on PostgreSQL: SIGTERM, exit 0 ($rc)" $?; }
done

# a database at schema 16 (before grading, inspections, the partitioned check
# log, partitioned records and the subject in every key: down-25.sql undoes
# that first) migrates in place: version 16 as this
# xinyong's first step leaves it, with records imported (migration 21 copies
# them into the partitions), then opened again
URI16="${URI%/*}/x16"
psql "$URI" -qAtc "create database x16" >/dev/null 2>&1 &&
	XINYONG_DB="$URI16" "$XY" init >/dev/null 2>&1 &&
	XINYONG_DB="$URI16" "$XY" import --reports "$T/reports16" --unit 市场监管局 --category 行政处罚 \
		--reported-on 2019-11 "$S/市场监管局-行政处罚-2019-10.csv" >/dev/null 2>&1 &&
	XINYONG_DB="$URI16" "$XY" show 91210803MADE2UMA8E --format json >"$T/show16a" 2>&1 &&
	psql "$URI16" -q -v ON_ERROR_STOP=1 -f "$ROOT/tests/pg/down-25.sql" >/dev/null 2>&1 &&
	psql "$URI16" -qAtc "drop table grades, grade_runs, grade_models, inspect_results,
		inspect_draws, inspect_plans; drop function xy_append_only();
		drop table checks; drop function xy_check_partitions(int);
		drop index feedback_check; create table checks(id bigint generated by default as identity
		primary key, unit_id bigint not null references units(id), subject_id bigint not null
		references subjects(id), matter text, check_date text not null, at text not null,
		answer bytea not null); create index checks_subject on checks(subject_id);
		alter table feedback add constraint feedback_check_id_fkey foreign key (check_id)
		references checks(id);
		create table records_v16(id bigint generated by default as identity primary key,
		unit_id bigint not null, category_id bigint not null, key text not null,
		subject_id bigint, decided_on text, first_batch bigint not null,
		last_batch bigint not null, data_batch bigint not null, data bytea not null,
		unique(unit_id, category_id, key));
		insert into records_v16 select r.id, r.unit_id, r.category_id, r.key, r.subject_id,
		r.decided_on, r.first_batch, k.last_batch, r.data_batch, r.data
		from records r join record_keys k on k.record_id = r.id;
		select setval('records_v16_id_seq', last_value, is_called) from records_id_seq;
		alter table credit_cases drop constraint credit_cases_record_id_fkey;
		drop table records, record_keys;
		alter table records_v16 rename to records;
		alter sequence records_v16_id_seq rename to records_id_seq;
		create index records_subject on records(subject_id) where subject_id is not null;
		create index records_feed on records(category_id, decided_on, id)
		where decided_on is not null;
		alter table credit_cases add constraint credit_cases_record_id_fkey
		foreign key(record_id) references records(id);
		update xy_schema set version = 16" >/dev/null 2>&1 &&
	[ "$(psql "$URI16" -Atc "select version from xy_schema")" = 16 ] &&
	[ "$(psql "$URI16" -Atc "select relkind from pg_class where relname = 'records'")" = r ]
check "a database at schema 16 (grading and inspection tables dropped, checks and records unpartitioned)" $?
XINYONG_DB="$URI16" "$XY" init >"$T/pg.init16" 2>&1
XINYONG_DB="$URI16" "$XY" show 91210803MADE2UMA8E --format json >"$T/show16b" 2>&1
grep -q "schema version $SCHEMA" "$T/pg.init16" &&
	[ "$(psql "$URI16" -Atc "select version from xy_schema")" = "$SCHEMA" ] &&
	XINYONG_DB="$URI16" "$XY" inspect plan add "$T/plan.json" >/dev/null 2>&1 &&
	XINYONG_DB="$URI16" "$XY" grade run --date 2026-07-01 >/dev/null 2>&1
check "… opened again: migrated to $SCHEMA in place, and grading and plans work ($(head -c 120 "$T/pg.init16"))" $?
cmp -s "$T/show16a" "$T/show16b" && grep -q '"key"' "$T/show16b"
check "… its records came through migration 21 (show before = show after)" $?
parts=$(psql "$URI16" -Atc "select count(*) from pg_inherits where inhparent = 'records'::regclass")
keys=$(psql "$URI16" -Atc "select (select count(*) from records) || '|' || (select count(*)
	from record_keys k join records r on r.id = k.record_id and r.subject_id = k.subject_id
	and r.key = k.key)")
[ "$parts" = 8 ] && [ "$keys" = "9|9" ]
check "… records in 8 hash partitions, record_keys filled from them ($parts, $keys)" $?
# a fresh database and one migrated from 16 end in the same schema
pg_dump -s "$URI" | grep -Ev '^(--|.(un)?restrict )' >"$T/schema.fresh" 2>&1
pg_dump -s "$URI16" | grep -Ev '^(--|.(un)?restrict )' >"$T/schema.16" 2>&1
cmp -s "$T/schema.fresh" "$T/schema.16" && grep -q 'ATTACH PARTITION public.records_h7 FOR VALUES WITH (modulus 8, remainder 7)' "$T/schema.16"
check "… the same schema as a fresh database (pg_dump -s)" $?
diff "$T/schema.fresh" "$T/schema.16" | head -10 | sed 's/^/# /'

# a unit corrects a record's subject: the record moves to the other
# subject's partition (deleted and inserted again with its id: pg_int.h
# PG_REC_MOVE), record_keys follows, its previous version is kept
python3 - "$S/市场监管局-行政处罚-2019-10.csv" "$T/moved.csv" <<'PY'
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], 'rb').read().decode('gbk'))))
rows[1][0:4] = rows[2][0:4]  # 001 was 沙岗印刷's: it is 熊岳物流's
out = io.StringIO()
csv.writer(out, lineterminator='\r\n').writerows(rows)
open(sys.argv[2], 'wb').write(out.getvalue().encode('gbk'))
PY
both move import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2020-01 \
	"$T/moved.csv"
same move "import moving a record to another subject: PostgreSQL = SQLite"
grep -q "rows      12: 0 new, 2 updated, 7 unchanged, 3 rejected" "$T/pg.move"
check "the move on PostgreSQL: 0 new, 2 updated (the moved record one of them)" $?
both movefrom show 91210803MADE2UMA8E --format json
same movefrom "show of the subject the record left: PostgreSQL = SQLite"
both moveto show 91210802H59ED1Y524 --format json
same moveto "show of the subject it moved to (the record with its versions): PostgreSQL = SQLite"
grep -q '营市监罚〔2019〕001号' "$T/pg.moveto" && ! grep -q '营市监罚〔2019〕001号' "$T/pg.movefrom"
check "the record is in the new subject's profile only" $?
mv=$(psql "$URI" -Atc "select count(*), bool_and(k.subject_id = r.subject_id),
	bool_and(r.tableoid = (select tableoid from records x where x.subject_id = s.id limit 1))
	from record_keys k join records r on r.id = k.record_id join subjects s
	on s.id = r.subject_id where k.key = '营市监罚〔2019〕001号'" 2>&1)
[ "$mv" = "1|t|t" ]
check "record_keys names the new subject, and the row is in its partition ($mv)" $?
# a profile read touches one partition (docs/postgresql.md)
plan=$(psql "$URI" -Atc "explain (costs off) select * from records where subject_id = 3" 2>&1)
parts=$(echo "$plan" | grep -o 'on records_h[0-9]*' | sort -u)
[ "$(echo "$parts" | wc -l)" = 1 ] && [ -n "$parts" ]
check "a read by subject is pruned to one partition ($parts)" $?

# rekey last (the servers stopped), each backend with its own copy of the key
# both databases were written with: every value re-encrypted, every lookup
# hash recomputed, the old key refused afterwards
PID_CODE=210804195604102130 # a person of the penalties sample (a personal code)
for b in sq pg; do
	eval "db=\$DB_$b"
	cp "$T/key" "$T/key.$b" && chmod 600 "$T/key.$b"
	XINYONG_KEY_FILE="$T/key.$b" XINYONG_DB="$db" "$XY" rekey >"$T/$b.rekey" 2>&1
	echo "exit $?" >>"$T/$b.rekey"
	for q in show showp app3; do
		case $q in
		show) set -- show "$CO" --format json ;;
		showp) set -- show "$PID_CODE" --format json ;;
		app3) set -- application show "${AR:-none}" --secret "$(eval "echo \$SEC_$b")" \
			--as-of 2019-12-03 --format json ;;
		esac
		XINYONG_KEY_FILE="$T/key.$b" XINYONG_DB="$db" "$XY" "$@" >"$T/$b.rk-$q" 2>&1
		echo "exit $?" >>"$T/$b.rk-$q"
	done
done
for b in sq pg; do # the last line names the database
	sed 's|^.*: key rotated;|<db>: key rotated;|' "$T/$b.rekey" >"$T/$b.rekey.n" && mv "$T/$b.rekey.n" "$T/$b.rekey"
done
same rekey "rekey (each table reported): PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.rekey" && ! cmp -s "$T/key" "$T/key.pg" && [ ! -e "$T/key.pg.old" ]
check "rekey on PostgreSQL: exit 0, a new key in place, the old one removed" $?
same rk-show "show after rekey: PostgreSQL = SQLite"
same rk-showp "show of a personal ID number (its lookup hash recomputed): PostgreSQL = SQLite"
grep -q '^exit 0$' "$T/pg.rk-showp" && grep -q "$PID_CODE" "$T/pg.rk-showp"
check "after rekey the person is found by the number, which reads back" $?
same rk-app3 "application show after rekey (the contact re-encrypted): PostgreSQL = SQLite"
kid=$(psql "$URI" -Atc "select key_id from pii_key" 2>/dev/null)
old=$(psql "$URI" -Atc "select count(*) from subjects where code = '$PID_CODE'" 2>/dev/null)
[ -n "$kid" ] && [ "$old" = 0 ]
check "rekey: pii_key has the new key id, no plain number in subjects.code" $?
XINYONG_DB="$URI" "$XY" show "$CO" >"$T/pg.rk-old" 2>&1
[ $? != 0 ] && grep -q 'wrong key' "$T/pg.rk-old"
check "the old key is refused after rekey on PostgreSQL: $(head -c 120 "$T/pg.rk-old")" $?

# a file of three chunks (xy_store_records_load takes 8,192 rows at a time):
# PostgreSQL keeps what each chunk left a subject as, once it holds the
# subjects' lock, and does not compare it again (pg_load.c "settled").  A
# subject renamed only in the last chunk, and one renamed in the second and
# given its first name back in the third, must end as on SQLite.  Databases
# of their own, so the commands above and below see the same data as before.
psql "$URI" -qc 'CREATE DATABASE chunks' >/dev/null 2>&1
SQ_DB=$T/chunks.db PG_DB=${URI%/*}/chunks
both chinit init
grep -q '^exit 0$' "$T/sq.chinit" && grep -q '^exit 0$' "$T/pg.chinit"
check "init of the three chunks' databases on both" $?
"$(cd "$BUILD" && pwd)/bench/xy-gen" --rows 20000 --subjects 4000 --seed 5 -o "$T/gen.csv"
python3 - "$T/gen.csv" "$T/chunks.csv" >"$T/chunks.codes" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
head, body = rows[0], rows[1:]
key = head.index('行政处罚决定书文号')
def again(r, name, k):  # the subject of row r under name, in a record of its own
    x = list(r); x[0] = name; x[key] = '营市监罚〔2026〕测%05d号' % k; return x
a, b = body[0], body[1]
body.insert(10000, again(b, b[0] + '（二次更名）', 1))   # chunk 2: b renamed
body.append(again(a, a[0] + '（末块更名）', 2))           # chunk 3: a renamed
body.append(again(b, b[0], 3))                            # chunk 3: b's first name back
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\r\n') \
    .writerows([head] + body)
print(a[2], b[2], b[0])
PY
read -r CA CB NB <"$T/chunks.codes"
subject_name() { sed -n 's/^{"subject":{[^}]*"name":"\([^"]*\)".*/\1/p' "$1"; }
both chunks import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2020-01 \
	--format json "$T/chunks.csv"
same chunks "an import of three chunks renaming subjects between them: PostgreSQL = SQLite"
grep -q '"new":20003' "$T/pg.chunks"
check "the three chunks' 20,003 rows are new on PostgreSQL" $?
both chunka show "$CA" --format json
same chunka "a subject renamed in the last chunk: PostgreSQL = SQLite"
subject_name "$T/pg.chunka" | grep -q '（末块更名）$'
check "its name on PostgreSQL is the last chunk's" $?
both chunkb show "$CB" --format json
same chunkb "a subject renamed in the second chunk and back in the third: PostgreSQL = SQLite"
[ "$(subject_name "$T/pg.chunkb")" = "$NB" ]
check "its name on PostgreSQL is its first one again" $?
# the same file again: every record unchanged, its key row touched (found by
# the primary key: pg_load.c) so that it names the new batch (a batch's
# records, xy_store_batch_records, are those whose last batch it is)
both chunks2 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2020-02 \
	--format json "$T/chunks.csv"
same chunks2 "the three chunks again (all unchanged): PostgreSQL = SQLite"
touched=$(psql "$PG_DB" -Atc "select count(*) from record_keys where last_batch = 2" 2>&1)
grep -q '"unchanged":20003' "$T/pg.chunks2" && [ "$touched" = 20003 ]
check "the re-import's 20,003 rows unchanged, each key row naming its batch on PostgreSQL ($touched)" $?
unset SQ_DB PG_DB

echo "1..$n"
exit $fail
