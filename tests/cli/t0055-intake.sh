#!/bin/sh
# Files as units really send them (issue 8): the header found below title rows,
# instruction sheets skipped, unmapped columns kept and listed, a unit's own
# column names mapped, 无 and / read as empty, a wrong template refused early,
# and the stored errors of a junk file bounded.
. "$(dirname "$0")/lib.sh"

imp() { xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$@"; }

# The national 2019 template as units fill it: 填报说明 sheet first, then a
# title row, a 填报单位/日期 line and the header on row 3 (saved by LibreOffice).
j=$(imp "$DATA/intake/template-2019.xlsx" 2>"$T/warn")
is "template: committed, 3 new and 003's bad check character rejected" \
	"$(echo "$j" | jq -r '"\(.status) \(.rows) \(.new) \(.rejected)"')" "committed 4 3 1"
is "template: the header was found on row 3" "$(echo "$j" | jq -r .header_row)" 3
is "template: the instruction sheet is skipped with a note" \
	"$(echo "$j" | jq -r '.sheets[0] | "\(.sheet) \(.header_row) \(.skipped != null)"')" "填报说明 null true"
like "template: the note says why" "$(echo "$j" | jq -r '.sheets[0].skipped')" "前20行中没有行政处罚的表头"
like "template: a warning names the skipped sheet" "$(cat "$T/warn")" "sheet '填报说明' skipped"
is "template: the data sheet is reported" "$(echo "$j" | jq -r '.sheets[1] | "\(.sheet) \(.header_row) \(.rows)"')" "行政处罚 3 4"
is "template: 内部编号 is an unmapped column, listed with its sheet and count" \
	"$(echo "$j" | jq -r '.unmapped_columns[0] | "\(.sheet) \(.column) \(.header) \(.cells)"')" "行政处罚 21 内部编号 4"
is "template: its values are kept with the records" \
	"$(records | jq -r '.data._extra["内部编号"] // ""' | grep -c '^NB-')" 3
is "template: 0.5万元 is stored as 0.5" "$(records | jq -r .data.CF_NR_FK | grep -cx '0.5')" 1
is "template: 无 in an optional field is empty, not the text 无" \
	"$(records | grep -c '"无"')" 0
# Unmapped values are the office's to see, never the public's.
like "show: unmapped values shown to the office" "$(xy show 91210802H59ED1Y524)" "（未识别列）内部编号：NB-"
is "show --public: no unmapped values" "$(xy show 91210802H59ED1Y524 --public --format json | grep -ac 'NB-')" 0
b=$(echo "$j" | jq -r .batch)
like "batches shows the layout" "$(xy batches "$b")" "填报说明: skipped.*"
like "batches shows the unmapped column" "$(xy batches "$b")" "unmapped .*内部编号"
is "batches JSON carries the same summary" "$(xy batches "$b" --format json | jq -c '[.header_row, (.unmapped_columns | length)]')" "[3,1]"

# A CSV with title rows above the header; rows are numbered as the unit sees them.
iconv -f GB18030 -t UTF-8 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" | tr -d '\r' >"$T/all.csv"
head -4 "$T/all.csv" >"$T/four.csv"
{ echo "行政处罚信息公示表"; echo "填报单位：营口市市场监督管理局（示例）,,填报日期：2019-11-05"; cat "$T/four.csv"; } >"$T/titled.csv"
j=$(imp "$T/titled.csv")
is "titled CSV: header on row 3" "$(echo "$j" | jq -r .header_row)" 3
is "titled CSV: the bad row is reported on row 6, where the unit sees it" \
	"$(xy batches "$(echo "$j" | jq -r .batch)" --format json | jq -r '.errors[0].row')" 6

# A unit's own column name: unmapped until the office maps it.
sed '1s/罚款金额（万元）/罚没款（元）/' "$T/four.csv" | sed '2,$s/,0\.[0-9]*,/,3000,/' >"$T/own.csv"
j=$(imp "$T/own.csv" 2>/dev/null)
is "own column: unmapped, with the nearest field suggested" \
	"$(echo "$j" | jq -r '.unmapped_columns[0] | "\(.header) \(.suggestion.code)"')" "罚没款（元） CF_NR_FK"
fails "mapping: an unknown field is refused" 1 xy mapping add --unit 市场监管局 --category 行政处罚 '罚没款（元）' 罚金
like "mapping: the error names the field" "$(cat "$T/.err")" "no field '罚金'"
fails "mapping: a header that names another field cannot be mapped" 1 \
	xy mapping add --unit 市场监管局 --category 行政处罚 '违法事实' CF_NR_FK
ok "mapping add" xy mapping add --unit 市场监管局 --category 行政处罚 '罚没款（元）' 罚款金额（万元）
is "mapping list" "$(xy mapping list --format json | jq -r '.[0] | "\(.unit) \(.category) \(.column) \(.field)"')" \
	"市场监管局 行政处罚 罚没款（元） CF_NR_FK"
j=$(imp "$T/own.csv" 2>"$T/warn")
is "mapped column: no longer unmapped" "$(echo "$j" | jq -r '.unmapped_columns | length')" 0
is "mapped column: 3000 in a 元 column is stored as 0.3 万元" \
	"$(records | jq -r .data.CF_NR_FK | grep -cx '0.3')" 2
like "mapped column: the conversion is a warning" "$(cat "$T/warn")" "3000元.*converted to 0.3万元"
j=$(xy import --unit 市审批局 --category 行政处罚 --reported-on 2019-10 --format json "$T/own.csv" 2>/dev/null)
is "mapping: another unit's import is not affected" "$(echo "$j" | jq -r '.unmapped_columns | length')" 1
ok "mapping remove" xy mapping remove --unit 市场监管局 --category 行政处罚 '罚没款（元）'
fails "mapping remove: twice is an error" 1 xy mapping remove --unit 市场监管局 --category 行政处罚 '罚没款（元）'

# --strict refuses data in an unmapped column, naming it.
fails "strict: refused" 1 imp --strict "$T/own.csv"
like "strict: the column is named" "$(cat "$T/.err")" "罚没款（元）.*--strict"

# A required field written 无 or / is empty, and says so.
sed '2s/,罚款,/,无,/' "$T/four.csv" >"$T/wu.csv"
j=$(imp "$T/wu.csv")
like "无 in a required field: the row is rejected as empty" \
	"$(xy batches "$(echo "$j" | jq -r .batch)" --format json | jq -r '.errors[] | select(.column == "处罚类别") | .reason_zh')" "必填项为空"

# A wrong template: the first 100 rows all fail alike → refused early, once.
{ head -1 "$T/all.csv"; i=0; while [ $i -lt 150 ]; do sed -n 2p "$T/all.csv" | sed "s/001号/X$i号/; s/2019-07-20/2019-13-45/"; i=$((i + 1)); done; } >"$T/wrong.csv"
j=$(imp "$T/wrong.csv" 2>"$T/err")
is "wrong template: the sample row has the date this test breaks" "$(sed -n 2p "$T/all.csv" | grep -c 2019-07-20)" 1
is "wrong template: refused" "$(echo "$j" | jq -r .status)" refused
like "wrong template: the message says all rows failed alike" "$(cat "$T/err")" "first 100 rows were all rejected for the same reason"

# Bounded stored errors: 30 rows failing in different ways, --max-errors 5.
{ head -1 "$T/all.csv"; i=0; while [ $i -lt 30 ]; do
	if [ $((i % 2)) = 0 ]; then sed -n 2p "$T/all.csv" | sed "s/001号/M$i号/; s/,罚款,/,,/"
	else sed -n 2p "$T/all.csv" | sed "s/001号/M$i号/; s/91210803MADE2UMA8E/91210803MADE2UMA80/"; fi
	i=$((i + 1)); done; } >"$T/many.csv"
j=$(imp --max-errors 5 "$T/many.csv")
is "max-errors: every bad row counted" "$(echo "$j" | jq -r '"\(.rejected) \(.errors_stored)"')" "30 5"
is "max-errors: only 5 rows' errors stored" "$(xy batches "$(echo "$j" | jq -r .batch)" --format json | jq '[.errors[].row] | unique | length')" 5
is "max-errors: the report has all 30" "$(($(wc -l <"$(echo "$j" | jq -r .error_report)") - 1))" 30

# A second import while another process holds the database: it says it waits,
# and a script gets a JSON outcome either way.  The holder is the backend's own
# lock, taken behind xinyong's back: SQLite's file lock by the sqlite3 shell;
# on PostgreSQL the advisory lock an import of the same unit and category
# takes, by psql (docs/postgresql.md "Several processes on one database").
# The SQLite half is the SQLite backend's own test (sqlite3 holds the file).
busy() {
	XINYONG_WAIT=0 xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/four.csv" >"$T/busy.out" 2>"$T/busy.err"
	is "busy: XINYONG_WAIT=0 does not wait (exit 1)" "$?" 1
	XINYONG_WAIT=1 xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/four.csv" >"$T/busy.out" 2>"$T/busy.err"
	is "busy: gives up after XINYONG_WAIT with exit 1" "$?" 1
	like "busy: says it is waiting" "$(cat "$T/busy.err")" "busy .*waiting up to 1 s"
	is "busy: still a JSON outcome" "$(jq -r .status "$T/busy.out")" failed
	XINYONG_WAIT=30 xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/four.csv" >"$T/busy.out" 2>"$T/busy.err"
	is "busy: with time to wait, the import goes through after the lock" "$(jq -r .status "$T/busy.out")" committed
}
if [ "$XY_BACKEND" = sqlite ]; then
	{ echo "BEGIN EXCLUSIVE;"; sleep 4; echo "COMMIT;"; } | sqlite3 "$XINYONG_DB" &
	holder=$!
	sleep 1
	busy
	wait $holder
else
	key=$(pg_sql "SELECT u.id || ', ' || c.id FROM units u, categories c
		WHERE u.name = '市场监管局' AND c.name = '行政处罚'")
	{ echo "BEGIN; SELECT pg_advisory_xact_lock($key);"; sleep 4; echo "COMMIT;"; } |
		"$PG_BIN/psql" -X -q -h "$XY_PG_SOCKET" -U xinyong -d "${XINYONG_DB##*/}" >/dev/null &
	holder=$!
	sleep 1
	busy
	wait $holder
fi

# The same template saved by LibreOffice as OpenDocument (.ods) reads the same way.
newdb "$T/ods/xinyong.db"
j=$(imp "$DATA/intake/template-2019.ods" 2>/dev/null)
is "ods: committed, 3 new, 1 rejected, header on row 3" \
	"$(echo "$j" | jq -r '"\(.format) \(.status) \(.new) \(.rejected) \(.header_row)"')" "ods committed 3 1 3"
is "ods: 填报说明 skipped, 内部编号 unmapped" \
	"$(echo "$j" | jq -r '"\(.sheets[0].skipped != null) \(.unmapped_columns[0].header)"')" "true 内部编号"
like "ods: the error report is an XLSX" "$(echo "$j" | jq -r .error_report)" "\.errors\.xlsx$"
