#!/bin/sh
# xinyong grade: grade every subject of the demo database, every explanation adds up to its
# score, show/list/history, a second run with another model kept beside the first, an
# incremental run over one batch's subjects only, a bad model refused naming its line.
. "$(dirname "$0")/lib.sh"

ok "demo database" xy demo --seed 2019
N=$(q "select count(*) from subjects")
ok "grade run as of 2019-10-31 (default model)" xy grade run --date 2019-10-31 --format json
is "  every subject graded" "$(jq .subjects "$T/.out")" "$N"
is "  the grades add up to the subjects" "$(jq '[.grades[]] | add' "$T/.out")" "$N"
is "  the model stored once with its SHA-256" \
	"$(q "select sha256 from grade_models")" "$(sha256sum "$ROOT/data/grade-model.tsv" | cut -d' ' -f1)"
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
	"$(q "select count(distinct e.subject_id) from list_entries e join list_types t on t.id = e.list_type_id
	      where t.kind = 'black' and e.start_on <= '2019-10-31' and (e.end_on is null or e.end_on >= '2019-10-31')
	      and (e.exit_on is null or e.exit_on > '2019-10-31')")"

ok "list --grade D" xy grade list --grade D --format json
D=$(jq -r '.subjects[0].subject.code' "$T/.out")
is "  only D" "$(jq '[.subjects[] | select(.grade != "D")] | length' "$T/.out")" 0
ok "show a D subject" xy grade show "$D"
like "  names the grade, the run and the model" "$(cat "$T/.out")" "grade D, score [0-9.]+.*run 1 as of 2019-10-31, model 信用分级示例模型"
like "  lists the black-list entry with the forcing rule" "$(cat "$T/.out")" "force .*强制等级"
PEN=$(q "select s.code from records r join subjects s on s.id = r.subject_id join categories c on c.id = r.category_id
	 where c.name = '行政处罚' and s.code_type = 'uscc' order by r.id limit 1")
ok "show a punished subject as JSON" xy grade show "$PEN" --format json
like "  its 行政处罚 record with negative points" "$(jq -c '.items[] | select(.indicator == "xzcf")' "$T/.out")" '"label":"行政处罚 [^"]+","raw":-[0-9.]+,"points":-[0-9.]+'

sed -e 's/^model\t.*/model\t另一模型（测试）/' -e 's/^band\tA\t90\t100/band\tA\t85\t100/' -e 's/^band\tB\t75\t90/band\tB\t75\t85/' \
	"$ROOT/data/grade-model.tsv" >"$T/m2.tsv"
ok "a second run with another model" xy grade run --date 2019-10-31 --model "$T/m2.tsv"
ok "history" xy grade history "$PEN" --format json
is "  two runs, newest first, each with its model" "$(jq -c '[.history[].run | [.id, .model]]' "$T/.out")" \
	'[[2,"另一模型（测试）"],[1,"信用分级示例模型 2025-1（示例，非官方方法）"]]'
is "  two models stored" "$(q "select count(*) from grade_models")" 2
ok "show --run 1 still gives the first run's grade" xy grade show "$PEN" --run 1 --format json
is "  run 1" "$(jq .run.id "$T/.out")" 1
ok "list --run 1" xy grade list --run 1 --format json
is "  all of run 1" "$(jq '.subjects | length' "$T/.out")" "$N"

# incremental: a batch about one subject re-grades that subject only
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
AG=11210800MAR7YF578P
NAME=$(q "select name from subjects where code = '$PEN'")
printf '%s\n%s,法人及非法人组织,%s,,示例甲,,营市监罚〔2019〕增量1号,价格,事实,依据,罚款,罚款1万元,2019-10-30,2021-12-31,营口市市场监督管理局,%s,营口市市场监督管理局,%s,一般\n' \
	"$H" "$NAME" "$PEN" "$AG" "$AG" >"$T/cf.csv"
ok "import a new penalty" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 "$T/cf.csv"
B=$(q "select max(id) from batches")
before=$(xy grade show "$PEN" --format json | jq .score)
ok "grade run --subjects-of-batch" xy grade run --date 2019-10-31 --subjects-of-batch "$B" --format json
is "  one subject graded" "$(jq .subjects "$T/.out")" 1
is "  the run names its batch" "$(jq .batch "$T/.out")" "$B"
ok "  its history has a third run" xy grade history "$PEN" --format json
is "  three runs" "$(jq '.history | length' "$T/.out")" 3
after=$(xy grade show "$PEN" --format json | jq .score)
is "  its score went down" "$(echo "$after < $before" | bc)" 1
is "  no other subject was touched" "$(q "select count(*) from grades where run_id = 3")" 1
ok "  list gives each subject's latest grade" xy grade list --format json
is "  still one per subject" "$(jq '.subjects | length' "$T/.out")" "$N"
is "  the re-graded subject's from run 3" "$(jq --arg c "$PEN" '.subjects[] | select(.subject.code == $c) | .run.id' "$T/.out")" 3

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

# refusals
sed 's/^group\tsxjl\t守信激励\t15/group\tsxjl\t守信激励\t20/' "$ROOT/data/grade-model.tsv" >"$T/bad.tsv"
L=$(grep -n '^group	sxjl' "$T/bad.tsv" | cut -d: -f1)
fails "weights adding up to 105 are refused" 1 xy grade run --model "$T/bad.tsv"
like "  naming file, line and field" "$(cat "$T/.err")" "bad.tsv:$L: weight: .*105"
sed 's/category:行政处罚/category:违章停车/' "$ROOT/data/grade-model.tsv" >"$T/bad2.tsv"
fails "an unknown source is refused" 1 xy grade run --model "$T/bad2.tsv"
like "  naming it" "$(cat "$T/.err")" "bad2.tsv:[0-9]+: source: unknown category"
is "  nothing stored by refused runs" "$(q "select count(*) from grade_runs")" 3
fails "show an ungraded code" 1 xy grade show 91210802MA0XYQZ99X
fails "list --grade must be a letter" 1 xy grade list --grade 甲
fails "unknown subcommand" 2 xy grade frobnicate
