#!/bin/sh
# xinyong grade: grade every subject of the demo database, every explanation adds up to its
# score, show/list/history, a second run with another model kept beside the first, an
# incremental run over one batch's subjects only (by hand, and automatically after an import into a graded
# database, audited),  a bad model refused naming its line.
. "$(dirname "$0")/lib.sh"

ok "demo database" demo_city ${XY_SANITIZED:+--small}
N=$(rows subjects)
# PEN, PEN2: the first two companies (USCC) among the subjects of the newest 行政处罚 records
xy publicity penalties --limit 100 --format json |
	jq -r '[.items[].subject | select(.code_type == "uscc" and .kind == "legal") | .code] | unique_by(.)[]' >"$T/pen"
PEN=$(sed -n 1p "$T/pen")
PEN2=$(sed -n 2p "$T/pen")
# the run's graded subjects' codes, sorted, on one line
run_codes() { xy grade list --run "$1" --format json | jq -r '[.subjects[].subject.code] | sort | join(" ")'; }
# how many grade runs are stored
nruns() { rows grade_runs; }
# penalty DOCNO DATE [CODE]: a 行政处罚 of subject CODE (default PEN) into $T/cf.csv;
# more rows: more_penalty DOCNO DATE [CODE] appends one
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
AG=11210800MAR7YF578P
more_penalty() {
	c=${3:-$PEN}
	printf '%s,法人及非法人组织,%s,,示例甲,,营市监罚〔2019〕%s,价格,事实,依据,罚款,罚款1万元,%s,2021-12-31,营口市市场监督管理局,%s,营口市市场监督管理局,%s,一般\n' \
		"$(xy show "$c" --format json | jq -r .subject.name)" "$c" "$1" "$2" "$AG" "$AG" >>"$T/cf.csv"
}
penalty() {
	echo "$H" >"$T/cf.csv"
	more_penalty "$@"
}
penalty 增量0号 2019-10-28
ok "an import into a database never graded" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/cf.csv"
is "  grades nothing" "$(jq .grade "$T/.out"):$(nruns)" "null:0"
ok "grade run as of 2019-10-31 (default model)" xy grade run --date 2019-10-31 --format json
is "  every subject graded" "$(jq .subjects "$T/.out")" "$N"
is "  the grades add up to the subjects" "$(jq '[.grades[]] | add' "$T/.out")" "$N"
is "  the model stored once with its SHA-256" \
	"$(rows grade_models) $(xy grade runs --format json | jq -r '.runs[0].sha256')" "1 $(sha256sum "$ROOT/data/grade-model.tsv" | cut -d' ' -f1)"
ok "audit show --action grade.run" xy audit show --action grade.run --format json
is "  one entry, the run's, by the CLI's who" "$(jq -c '[.entries[] | [.object, (.who | startswith("cli:"))]]' "$T/.out")" '[["grade_run:1",true]]'
like "  its detail names the model's SHA-256, the date, the batch and the subjects" \
	"$(jq -r '.entries[0].detail' "$T/.out")" \
	"sha256=$(sha256sum "$ROOT/data/grade-model.tsv" | cut -d' ' -f1) as_of=2019-10-31 batch=0 subjects=$N\$"

ok "list with explanations" xy grade list --explain --format json
is "  one grade per subject" "$(jq '.subjects | length' "$T/.out")" "$N"
is "  every explanation adds up to its score" \
	"$(jq '[.subjects[] | select((([.items[].points] | add) * 100 | round) != (.score * 100 | round))] | length' "$T/.out")" 0
is "  every grade is its score's band unless a rule forced it" \
	"$(jq '[.subjects[] | select(.forced == null) | select(
	    (.grade == "A" and .score < 90) or (.grade == "B" and (.score < 75 or .score >= 90)) or
	    (.grade == "C" and (.score < 60 or .score >= 75)) or (.grade == "D" and .score >= 60))] | length' "$T/.out")" 0
is "  subjects with an active black-list entry are D" \
	"$(jq '[.subjects[] | select(.forced == "D")] | length' "$T/.out")" \
	"$(xy list show --all --format json | jq --rawfile types "$ROOT/data/list-types.tsv" '
	      ($types | split("\n") | map(split("\t")) | map(select(length > 1 and .[1] == "black")) | map(.[0])) as $black
	      | [.entries[] | select(.list_type as $t | $black | index($t)) | select(.from <= "2019-10-31"
	        and (.to == null or .to >= "2019-10-31") and (.exit_date == null or .exit_date > "2019-10-31"))
	        | .subject] | unique | length')"

ok "list --grade D" xy grade list --grade D --format json
D=$(jq -r '.subjects[0].subject.code' "$T/.out")
is "  only D" "$(jq '[.subjects[] | select(.grade != "D")] | length' "$T/.out")" 0
ok "show a D subject" xy grade show "$D"
like "  names the grade, the run and the model" "$(cat "$T/.out")" "grade D, score [0-9.]+.*run 1 as of 2019-10-31, model 信用分级示例模型"
like "  lists the black-list entry with the forcing rule" "$(cat "$T/.out")" "force .*强制等级"
ok "show a punished subject as JSON" xy grade show "$PEN" --format json
is "  its 行政处罚 record with negative points" \
	"$(jq '[.items[] | select(.indicator == "xzcf" and (.label | test("^行政处罚 .")) and .raw < 0 and .points < 0)] | length > 0' "$T/.out")" true
# the items name their group and indicator as the run's model does (the model
# file's group and indicator lines: code → name)
names=$(awk -F'\t' '$1 == "group" { print $2 "=" $3 } $1 == "indicator" { print $3 "=" $4 }' \
	"$ROOT/data/grade-model.tsv" | sort -u | tr '\n' ' ')
is "  each item's group_name and indicator_name are the model's names for its codes" \
	"$(jq -r '.items[] | (select(.group != "") | "\(.group)=\(.group_name)"),
		(select(.indicator) | "\(.indicator)=\(.indicator_name)")' "$T/.out" |
		sort -u | while read -r p; do case " $names " in *" $p "*) ;; *) echo "$p"; esac; done)" ""
like "  and there are such names" "$(jq -r '[.items[] | .indicator_name // empty] | join(",")' "$T/.out")" "行政处罚"

sed -e 's/^model\t.*/model\t另一模型（测试）/' -e 's/^group\tzjsf\t遵纪守法\t/group\tzjsf\t遵纪守法（另一模型）\t/' -e 's/^band\tA\t90\t100/band\tA\t85\t100/' -e 's/^band\tB\t75\t90/band\tB\t75\t85/' \
	"$ROOT/data/grade-model.tsv" >"$T/m2.tsv"
ok "a second run with another model" xy grade run --date 2019-10-31 --model "$T/m2.tsv"
ok "history" xy grade history "$PEN" --format json
is "  two runs, newest first, each with its model" "$(jq -c '[.history[].run | [.id, .model]]' "$T/.out")" \
	'[[2,"另一模型（测试）"],[1,"信用分级示例模型 2025-1（示例，非官方方法）"]]'
is "  two models stored" "$(rows grade_models)" 2
ok "show --run 1 still gives the first run's grade" xy grade show "$PEN" --run 1 --format json
is "  run 1" "$(jq .run.id "$T/.out")" 1
is "  its items named by run 1's model" "$(jq -r '[.items[] | select(.group == "zjsf") | .group_name] | unique | join(",")' "$T/.out")" 遵纪守法
is "  the latest run's by the second model" "$(xy grade show "$PEN" --format json | jq -r '[.items[] | select(.group == "zjsf") | .group_name] | unique | join(",")')" 遵纪守法（另一模型）
ok "list --run 1" xy grade list --run 1 --format json
is "  all of run 1" "$(jq '.subjects | length' "$T/.out")" "$N"

# automatic re-grade: an import into a graded database grades the batch's subjects again,
# as of the last run's date (it was not "as of today"), with the last run's model
before=$(xy grade show "$PEN" --format json | jq .score)
penalty 增量1号 2019-10-30
ok "import a new penalty" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/cf.csv"
B=$(xy batches --limit 1 --format json | jq '.[0].batch')
is "  the summary names the re-grade: run 3, one subject, as of the last run's date" \
	"$(jq -c '.grade | [.run, .subjects, .as_of, .model]' "$T/.out")" '[3,1,"2019-10-31","另一模型（测试）"]'
ok "  grade runs" xy grade runs --format json
is "  the newest run names the batch" "$(jq -c '.runs[0] | [.id, .batch, .as_of]' "$T/.out")" "[3,$B,\"2019-10-31\"]"
ok "  its history has a third run" xy grade history "$PEN" --format json
is "  three runs" "$(jq '.history | length' "$T/.out")" 3
after=$(xy grade show "$PEN" --format json | jq .score)
is "  its score went down" "$(echo "$after < $before" | bc)" 1
is "  no other subject was touched" "$(run_codes 3)" "$PEN"
ok "  list gives each subject's latest grade" xy grade list --format json
is "  still one per subject" "$(jq '.subjects | length' "$T/.out")" "$N"
is "  the re-graded subject's from run 3" "$(jq --arg c "$PEN" '.subjects[] | select(.subject.code == $c) | .run.id' "$T/.out")" 3
ok "  the audit log has the re-grade by the importer" xy audit show --action grade.run --format json
is "  object and batch" "$(jq -r '.entries[-1] | .object + " " + (.detail | capture("batch=(?<b>[0-9]+)").b)' "$T/.out")" "grade_run:3 $B"

penalty 增量2号 2019-10-29
ok "import --no-grade" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --no-grade --format json "$T/cf.csv"
is "  no re-grade" "$(jq .grade "$T/.out"):$(nruns)" "null:3"
B=$(xy batches --limit 1 --format json | jq '.[0].batch')
ok "grade run --subjects-of-batch" xy grade run --date 2019-10-31 --subjects-of-batch "$B" --format json
is "  one subject graded" "$(jq .subjects "$T/.out")" 1
is "  the run names its batch" "$(jq .batch "$T/.out")" "$B"
is "  its score went down again" "$(echo "$(xy grade show "$PEN" --format json | jq .score) < $after" | bc)" 1

penalty 增量2号 2019-10-29
ok "re-import of the same file" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/cf.csv"
is "  nothing added or updated: no re-grade" "$(jq .grade "$T/.out"):$(nruns)" "null:4"

# counts and keyset pages of the list (what GET /api/v1/grade-counts and /grades?limit= give)
xy grade list --format json >"$T/list.json"
ok "counts (each subject's latest grade)" xy grade counts --format json
is "  the list's subjects counted by grade" "$(jq -c '[.grades[] | [.grade, .subjects]]' "$T/.out")" \
	"$(jq -c '[.subjects[].grade] | group_by(.) | map([.[0], length])' "$T/list.json")"
is "  the total is every subject" "$(jq .total "$T/.out")" "$N"
ok "list --grade B --limit 100: one page" xy grade list --grade B --limit 100 --format json
is "  the first 100 B subjects" "$(jq -c '[.subjects[].subject.code]' "$T/.out")" \
	"$(jq -c '[.subjects[] | select(.grade == "B") | .subject.code][:100]' "$T/list.json")"
ok "list --grade B --after NEXT --limit 100" xy grade list --grade B --after "$(jq -r .next "$T/.out")" \
	--limit 100 --format json
is "  the next 100" "$(jq -c '[.subjects[].subject.code]' "$T/.out")" \
	"$(jq -c '[.subjects[] | select(.grade == "B") | .subject.code][100:200]' "$T/list.json")"
fails "list --limit 101 is refused" 2 xy grade list --limit 101
fails "list --after that is no cursor is refused" 1 xy grade list --after x1
like "  naming after" "$(cat "$T/.err")" "after"

# only the subjects whose facts changed: a row seen again unchanged does not re-grade its
# subject; a record that changed subject re-grades both, the one that lost the fact too
score() { xy grade show "$1" --format json | jq .score; }
before=$(score "$PEN")
penalty 增量2号 2019-10-29
more_penalty 增量3号 2019-10-30 "$PEN2"
ok "import one unchanged row (PEN) and one new (PEN2)" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/cf.csv"
is "  one subject re-graded" "$(jq .grade.subjects "$T/.out")" 1
is "  PEN2, not PEN" "$(run_codes 5)" "$PEN2"
penalty 增量3号 2019-10-30 "$PEN"
ok "the same 文书号 now names PEN: the record changes subject" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$T/cf.csv"
is "  updated, two subjects re-graded" "$(jq -c '[.updated, .grade.subjects]' "$T/.out")" "[1,2]"
is "  PEN and PEN2" "$(run_codes 6)" \
	"$(printf '%s\n%s\n' "$PEN" "$PEN2" | sort | tr '\n' ' ' | sed 's/ $//')"
is "  PEN lost points, PEN2 has none from it" "$(echo "$(score "$PEN") < $before" | bc):$(xy grade show "$PEN2" --format json | jq '[.items[] | select((.label // "") | test("增量3号"))] | length')" "1:0"

# refusals
sed 's/^group\tsxjl\t守信激励\t15/group\tsxjl\t守信激励\t20/' "$ROOT/data/grade-model.tsv" >"$T/bad.tsv"
L=$(grep -n '^group	sxjl' "$T/bad.tsv" | cut -d: -f1)
fails "weights adding up to 105 are refused" 1 xy grade run --model "$T/bad.tsv"
like "  naming file, line and field" "$(cat "$T/.err")" "bad.tsv:$L: weight: .*105"
sed 's/category:行政处罚/category:违章停车/' "$ROOT/data/grade-model.tsv" >"$T/bad2.tsv"
fails "an unknown source is refused" 1 xy grade run --model "$T/bad2.tsv"
like "  naming it" "$(cat "$T/.err")" "bad2.tsv:[0-9]+: source: unknown category"
is "  nothing stored by refused runs" "$(nruns)" 6

# the model as XLSX: the same rows saved by the converter the import tests use give the
# same text, so the same SHA-256, the same stored model and the same grades
python3 - "$ROOT/data/grade-model.tsv" "$T/model.csv" <<'PY'
import csv, sys
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"))
for line in open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]:
    w.writerow(line.split("\t") if line else [])
PY
python3 "$ROOT/bench/csv2xlsx.py" "$T/model.csv" "$T/model.xlsx"
ok "grade run --model data/grade-model.tsv" xy grade run --date 2019-10-31 --model "$ROOT/data/grade-model.tsv" --format json
tsv=$(jq -c '[.sha256, .subjects, .grades]' "$T/.out")
ok "grade run --model the same as XLSX" xy grade run --date 2019-10-31 --model "$T/model.xlsx" --format json
is "  same SHA-256, subjects and grades" "$(jq -c '[.sha256, .subjects, .grades]' "$T/.out")" "$tsv"
is "  one stored model for both" "$(rows grade_models)" 2
# the run's list with explanations less its run (the top's number, each subject's object),
# hashed, and how many subjects: perl, not jq, on the 62 MB of JSON (jq took 5 s a run,
# sed -E with the alternation as long)
grades_of() {
	xy grade list --run "$1" --explain --format json | perl -pe 's/"run":(?:\{[^}]*\}|\d+),?//g' >"$T/g.json"
	echo "$(md5sum <"$T/g.json" | cut -c1-32) $(grep -o '"score":' "$T/g.json" | wc -l)"
}
g7=$(grades_of 7)
is "  every subject's grade the same in both runs" "$(grades_of 8)" "$g7"
is "  … all $N of them" "${g7#* }" "$N"
sed 's/^group,sxjl,守信激励,15/group,sxjl,守信激励,20/' "$T/model.csv" >"$T/bad.csv"
L=$(grep -n '^group,sxjl' "$T/bad.csv" | cut -d: -f1)
python3 "$ROOT/bench/csv2xlsx.py" "$T/bad.csv" "$T/bad.xlsx"
fails "an XLSX model with weights adding up to 105 is refused" 1 xy grade run --model "$T/bad.xlsx"
like "  naming the file, its sheet, the row and the field" "$(cat "$T/.err")" "bad.xlsx \[Sheet1\]:$L: weight: .*105"
printf 'model,x\ngroup,"a\tb",c,100,50\n' >"$T/tab.csv"
python3 "$ROOT/bench/csv2xlsx.py" "$T/tab.csv" "$T/tab.xlsx"
fails "a cell holding a tab is refused" 1 xy grade run --model "$T/tab.xlsx"
like "  naming the sheet, row and column" "$(cat "$T/.err")" "tab.xlsx \[Sheet1\]:2: column B: .*制表符"
printf 'PK\003\004junk' >"$T/junk.xlsx"
fails "a damaged XLSX is refused" 1 xy grade run --model "$T/junk.xlsx"
like "  saying so" "$(cat "$T/.err")" "junk.xlsx: .*zip"
is "  nothing stored by the refused runs" "$(nruns)" 8
fails "show an ungraded code" 1 xy grade show 91210802MA0XYQZ99X
fails "list --grade must be a letter" 1 xy grade list --grade 甲
fails "unknown subcommand" 2 xy grade frobnicate
