#!/bin/sh
# xinyong grade publish: grades reach the public profile only when the office turns it on
# (off by default); then show --public carries the latest grade as grade show gives it
# (letter, date, model, SHA-256), never the score or the explanation, so a record the
# public view hides does not appear through its grade; each change is audited once.
. "$(dirname "$0")/lib.sh"

ok "demo database" demo_city ${XY_SANITIZED:+--small}
ok "grade run as of 2019-10-31" xy grade run --date 2019-10-31 --format json
# a subject graded with a 行政处罚 decided in 2019 that the public view hides today (its
# publication is over): the first such among the first 300 graded with a 行政处罚 (read from grade list)
PEN= KEY=
xy grade list --explain --format json >"$T/list.json"
for c in $(jq -r '[.subjects[] | select(.subject.code | test("^9[0-9A-Z]{17}$"))
	| select(any(.items[]; .indicator == "xzcf")) | .subject.code][:300][]' "$T/list.json"); do
	xy grade show "$c" --format json >"$T/grade.json" || continue
	k=$(jq -r '.items[] | select(.indicator == "xzcf") | .label | sub("^行政处罚 "; "")' "$T/grade.json" | head -1)
	[ -n "$k" ] || continue
	xy show --public "$c" --format json >"$T/pub0.json" || continue
	if [ "$(jq --arg k "$k" '[.records[] | select(.key == $k)] | length' "$T/pub0.json")" = 0 ]; then
		PEN=$c KEY=$k
		break
	fi
done
like "  found one; its explanation names the 行政处罚 record" "$KEY" '罚'
is "  the public view counts it hidden" "$(jq '.hidden > 0' "$T/pub0.json")" true

ok "publish show: off by default" xy grade publish show --format json
is "  public false, never set" "$(jq -c '[.public, .changed_at, .changed_by]' "$T/.out")" '[false,null,null]'
ok "show --public while off" xy show --public "$PEN" --format json
is "  no grade in the public profile" "$(jq 'has("grade")' "$T/.out")" false
ok "show --public (table) while off" xy show --public "$PEN"
is "  no 信用等级 line" "$(grep -c 信用等级 "$T/.out")" 0
# the credit report (公共信用信息报告) is built from the public profile: no grade on it either
ok "credit report while off" xy report credit "$PEN" -o "$T/off.pdf"
is "  no 信用等级 on it" "$(pdftotext "$T/off.pdf" - | grep -c 信用等级)" 0

ok "publish on" xy grade publish on --format json
is "  on, changed, by the CLI's who" "$(jq -c '[.public, .changed, (.changed_by | startswith("cli:"))]' "$T/.out")" '[true,true,true]'
ok "publish on again" xy grade publish on --format json
is "  unchanged" "$(jq .changed "$T/.out")" false
ok "audit show --action grade.publish" xy audit show --action grade.publish --format json
is "  one entry for the one change" "$(jq -c '[.entries[] | [.object, .detail]]' "$T/.out")" '[["setting:grade_public","on"]]'

ok "show --public while on" xy show --public "$PEN" --format json
cp "$T/.out" "$T/public.json"
is "  the grade equals grade show's latest (letter, date, model, SHA-256)" \
	"$(jq -c '.grade | [.grade, .as_of, .model, .sha256]' "$T/public.json")" \
	"$(jq -c '[.grade, .run.as_of, .run.model, .run.sha256]' "$T/grade.json")"
like "  with the note that the model is an example" "$(jq -r .grade.note "$T/public.json")" '示例分级模型.*不是官方评价方法'
is "  no score and no explanation" "$(jq -c '.grade | [has("score"), has("items")]' "$T/public.json")" '[false,false]'
is "  the 行政处罚 is hidden today (its publication is over)" \
	"$(jq --arg k "$KEY" '[.records[] | select(.key == $k)] | length' "$T/public.json")" 0
is "  and does not appear anywhere in the public profile" "$(grep -c -- "$KEY" "$T/public.json")" 0
ok "show --public (table) while on" xy show --public "$PEN"
like "  信用等级 line with the grade and the SHA-256" "$(cat "$T/.out")" \
	"信用等级  $(jq -r .grade "$T/grade.json")（2019-10-31，.*$(jq -r .run.sha256 "$T/grade.json")"
is "  the record's number not in the table either" "$(grep -c -- "$KEY" "$T/.out")" 0
ok "credit report while on" xy report credit "$PEN" -o "$T/on.pdf" --format json
is "  its model carries the grade block as the public profile does" \
	"$(pdftotext "$T/on.pdf" - | tr -d ' \n' | grep -c "信用等级$(jq -r .grade "$T/grade.json")（评定日期2019-10-31）")" 1
like "  the model named with the SHA-256 of its text, and the note" "$(pdftotext "$T/on.pdf" - | tr -d ' \n')" \
	"分级模型$(jq -r .run.model "$T/grade.json" | tr -d ' ')（SHA-256$(jq -r .run.sha256 "$T/grade.json")）等级说明.*不是官方评价方法"
is "  the hidden record's number not on it" "$(pdftotext "$T/on.pdf" - | tr -d ' \n' | grep -c -- "$KEY")" 0
ok "  it verifies" xy report verify "$(jq -r .number "$T/.out")" "$T/on.pdf"
ok "show (office view) while on" xy show "$PEN" --format json
is "  the office profile has no public grade block" "$(jq 'has("grade")' "$T/.out")" false
ok "show --public --as-of 2019-10-30, before the run's date" xy show --public --as-of 2019-10-30 "$PEN" --format json
is "  no grade yet" "$(jq 'has("grade")' "$T/.out")" false

ok "a second run as of 2019-11-30" xy grade run --date 2019-11-30
ok "show --public" xy show --public "$PEN" --format json
is "  the newest run's grade" "$(jq -r .grade.as_of "$T/.out")" 2019-11-30

ok "publish off" xy grade publish off --format json
is "  off, changed" "$(jq -c '[.public, .changed]' "$T/.out")" '[false,true]'
ok "show --public while off again" xy show --public "$PEN" --format json
is "  no grade" "$(jq 'has("grade")' "$T/.out")" false
ok "audit show --action grade.publish" xy audit show --action grade.publish --format json
is "  two entries: on, off" "$(jq -c '[.entries[].detail] | sort' "$T/.out")" '["off","on"]'
ok "audit verify: the chain holds" xy audit verify

fails "publish maybe: usage error" 2 xy grade publish maybe
like "  names on, off or show" "$(cat "$T/.err")" 'on, off or show'
