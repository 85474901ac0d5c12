#!/bin/sh
# Nothing is cut (issue 8): values longer than every fixed array that used to hold them go
# in and come out whole through the CLI's JSON — a 600-character name, a 3,000-character
# 列入理由, a 600-character 法定代表人 name, a long repair 证据, a 1,500-byte file path — and
# a 认定文书号 over its limit is refused naming the limit, not cut.  All values generated.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T   # generated, valid USCC
REP=21080219850612103X  # generated, valid RIC
HDR=决定文书号,企业名称,统一社会信用代码,名单名称,认定单位,列入日期,截止日期,事由,法定代表人,法定代表人身份证号
rep() { # TEXT N TAIL: TEXT N times, then TAIL
	awk -v t="$1" -v n="$2" -v e="$3" 'BEGIN { s = ""; for (i = 0; i < n; i++) s = s t; print s e }'
}
chars() { printf '%s' "$1" | wc -m | tr -d ' '; }

NAME=$(rep 营 600 有限公司（示例）)
REASON=$(rep 欠 3000 。)
PNAME=$(rep 张 600 某)
DOC=营人社欠薪〔2026〕$(rep 号 70 1)   # 233 bytes: under the 255-byte limit
LONGDOC=$(rep 号 90 1)                 # 271 bytes

ok "init" xy init
fails "a 认定文书号 over its limit is refused" 1 xy list add --type $LT --subject $CO --name "$NAME" \
	--unit 人社局 --doc "$LONGDOC" --from 2026-06-01
like "… naming the field and the limit" "$(cat "$T/.err")" 'doc.*271 bytes, at most 255'
is "… and nothing is stored" "$(rows list_entries)" 0

j=$(xy list add --type $LT --subject $CO --name "$NAME" --unit 人社局 --doc "$DOC" --from 2026-06-01 \
	--reason "$REASON" --person "法定代表人:$REP:$PNAME" --format json)
is "list add: the 3,000-character reason comes back whole" "$(printf '%s' "$j" | jq -r .reason)" "$REASON"
is "list add: the 600-character name whole" "$(printf '%s' "$j" | jq -r .name)" "$NAME"
is "list add: the document number whole" "$(printf '%s' "$j" | jq -r .doc)" "$DOC"
is "stored whole" "$(xy list show --all --format json | jq '.entries[].reason | length')" 3001

s=$(xy show $CO --format json)
is "show json: the name whole" "$(printf '%s' "$s" | jq -r .subject.name)" "$NAME"
p=$(xy show $REP --format json)
is "show json of the person: the 600-character name whole" "$(printf '%s' "$p" | jq -r .subject.name)" "$PNAME"
is "… the entry reached through the enterprise names it whole" \
	"$(printf '%s' "$p" | jq -r '.list_entries[0].through_name')" "$NAME"
is "list show json: the reason whole" \
	"$(xy list show --type $LT --format json | jq -r '.entries[0].reason')" "$REASON"

# --- a file path of 1,500 bytes (each directory under NAME_MAX): stored and listed whole
d="$T"
for i in 1 2 3 4 5 6; do d="$d/$(rep 目 80 $i)"; done
mkdir -p "$d"
f="$d/人社局-地方发布黑名单.csv"
printf '%s\n营人社欠薪〔2026〕9号,营口另一建筑公司（示例）,91210802MA0XYQB02K,%s,人社局,2026-07-01,2027-07-01,欠薪,,\n' "$HDR" $LT >"$f"
like "the path is over 1,500 bytes" "$(printf '%s' "$f" | wc -c)" '^ *1[5-9][0-9][0-9]$'
j=$(xy import --unit 人社局 --category 地方发布黑名单 --format json "$f")
is "import json: the file whole" "$(printf '%s' "$j" | jq -r .file)" "$f"
is "batches json: the file whole" "$(xy batches --format json | jq -r '.[0].file')" "$f"
id=$(printf '%s' "$j" | jq -r .batch)
is "batches ID json: the file whole" "$(xy batches "$id" --format json | jq -r .file)" "$f"

# --- a repair with a long 证据 item and long texts: the case comes back whole
R=$(recid 营人社欠薪〔2026〕9号 91210802MA0XYQB02K)
EV=$(rep 证 1200 据)
COMMIT=$(rep 诺 1500 。)
j=$(xy repair apply --record "$R" --subject 91210802MA0XYQB02K --reason "$REASON" --evidence "$EV" \
	--evidence 第二项 --commitment "$COMMIT" --date 2026-08-01 --format json)
is "repair apply json: the long 证据 item whole" "$(printf '%s' "$j" | jq -r '.evidence[0]')" "$EV"
is "… the second item" "$(printf '%s' "$j" | jq -r '.evidence[1]')" 第二项
is "… the reason whole" "$(printf '%s' "$j" | jq -r .reason)" "$REASON"
is "… the commitment whole" "$(printf '%s' "$j" | jq -r .commitment)" "$COMMIT"
