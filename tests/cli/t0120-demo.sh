#!/bin/sh
# xinyong demo: generated records through the normal import path that reproduce the
# bulletin's two statistics tables; 0 rejected, exact cells, idempotent.
. "$(dirname "$0")/lib.sh"

REF="$DATA/reference"
# the sum of both tables' unit rows (the departments' printed 合计 row is wrong, skip it)
want=$(awk -F'\t' 'FNR == 1 { next }
	FILENAME ~ /departments/ && $2 != "合计" { for (i = 3; i < NF; i++) s += $i }
	FILENAME ~ /regions/ { for (i = 3; i <= NF; i++) s += $i }
	END { print s }' "$REF/bulletin-2019-10-departments.tsv" "$REF/bulletin-2019-10-regions.tsv")
is "reference tables hold 161785 records" "$want" 161785

j=$(xy demo --seed 2019 --format json 2>"$T/err")
is "demo exits 0" "$?" 0
is "summary: all rows new, none rejected" \
	"$(echo "$j" | jq -r '"\(.records) \(.new) \(.updated) \(.unchanged) \(.rejected) \(.warnings)"')" \
	"$want $want 0 0 0 0"
is "says the data is generated and synthetic" "$(echo "$j" | jq -r '"\(.generated) \(.synthetic)"')" "true true"
is "171 cells" "$(echo "$j" | jq -r .cells)" 171
batches=$(echo "$j" | jq -r .batches)
batchlist >"$T/batches.jsonl"
is "one batch per cell and month" "$(jq -r 'select(.status == "committed") | .batch' "$T/batches.jsonl" | wc -l)" "$batches"
is "no rejected rows stored" "$(rows batch_errors)" 0
is "records stored" "$(rows records)" "$want"
is "reported in 2019-01..2019-10 only" \
	"$(jq -r 'select(.reported_on < "2019-01-01" or .reported_on > "2019-10-31") | .batch' "$T/batches.jsonl" | wc -l)" 0
like "files written beside the database" "$(ls "$T/var/demo" | head -1)" '\.csv$'
is "some files are GB18030" "$(jq -r 'select(.encoding == "gb18030") | .batch' "$T/batches.jsonl" | head -1 | wc -l)" 1
lists=$(jq -s 'map(select(.category == "地方发布红名单" or .category == "地方发布黑名单") | .new) | add' "$T/batches.jsonl")
is "every 地方发布红/黑名单 row became a list entry" "$(echo "$j" | jq -r '"\(.list_entries) \(.list_problems)"')" "$lists 0"
is "… stored, each linked to its record" "$(rows list_entries list_entry_records)" "$lists $lists"
is "… designated types only from their designating unit" \
	"$(xy list show --all --type 拖欠农民工工资失信联合惩戒对象名单 --format json | jq '[.entries[] | select(.unit != "人社局")] | length')" 0

# cell UNIT CATEGORY: records the unit reported in the category over 2019-01..2019-10
# (from the batches: each brought in `new` records, counted in its reporting month)
jq -r 'select(.status == "committed" and .reported_on >= "2019-01-01" and .reported_on <= "2019-10-31")
	| [.unit, .category, .new] | @tsv' "$T/batches.jsonl" |
	awk -F'\t' -v OFS='\t' '{ s[$1 FS $2] += $3 } END { for (k in s) print k, s[k] }' | sort >"$T/all.tsv"
cell() { awk -F'\t' -v u="$1" -v c="$2" '$1 == u && $2 == c { s = $3 } END { print s + 0 }' "$T/all.tsv"; }
is "人社局 · 行业业务信息" "$(cell 人社局 行业业务信息)" 106879
is "市审批局 · 行政许可" "$(cell 市审批局 行政许可)" 1229
is "市场监管局 · 行政处罚" "$(cell 市场监管局 行政处罚)" 494
is "中级法院 · 联合惩戒案例" "$(cell 中级法院 联合惩戒案例)" 2346
is "市场监管局 · 失信主体以注销、吊销等形式退出黑名单" \
	"$(cell 市场监管局 失信主体以注销、吊销等形式退出黑名单)" 64
is "站前区 · 信用承诺书 (regions table)" "$(cell 站前区 信用承诺书)" 3032
is "盖州市 · 政府失信未治理" "$(cell 盖州市 政府失信未治理)" 4
is "老边区 · 约谈失信企业代表数量" "$(cell 老边区 约谈失信企业代表数量)" 237
is "an empty cell: 司法局 · 行政许可" "$(cell 司法局 行政许可)" 0

# every cell of both tables, totals per unit row included
awk -F'\t' -v OFS='\t' 'FNR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
	FILENAME ~ /departments/ && $2 != "合计" { for (i = 3; i < NF; i++) print $2, h[i], ($i == "" ? 0 : $i) }
	FILENAME ~ /regions/ { for (i = 3; i <= NF; i++) print $1, h[i], ($i == "" ? 0 : $i) }' \
	"$REF/bulletin-2019-10-departments.tsv" "$REF/bulletin-2019-10-regions.tsv" | sort >"$T/want.tsv"
awk -F'\t' 'NR == FNR { got[$1 FS $2] = $3; next } got[$1 FS $2] + 0 != $3 { print }' \
	"$T/all.tsv" "$T/want.tsv" >"$T/diff.tsv"
is "every cell of both tables (1118 cells)" "$(wc -l <"$T/want.tsv") $(wc -l <"$T/diff.tsv")" "1118 0"
[ -s "$T/diff.tsv" ] && head -5 "$T/diff.tsv" | sed 's/^/#   differs: /'
is "no records outside the tables' cells" "$(awk -F'\t' '{ s += $3 } END { print s }' "$T/all.tsv")" "$want"
is "departments' 总计 column = sum of each row" \
	"$(awk -F'\t' 'FNR > 1 && $2 != "合计" { s = 0; for (i = 3; i < NF; i++) s += $i; if (s != $NF) print $2 }' \
		"$REF/bulletin-2019-10-departments.tsv" | wc -l)" 0

# subjects: valid codes with Yingkou divisions, names marked as examples
# (the subjects of two units' 双公示 records, read through publicity: 1,700-odd records)
dsp --unit 市场监管局 >"$T/sc.jsonl"
dsp --unit 市审批局 >"$T/sj.jsonl"
is "subjects all in Yingkou divisions" \
	"$(cat "$T/sc.jsonl" "$T/sj.jsonl" | jq -r '.subject.division' |
		grep -cvxE '210802|210803|210804|210811|210881|210882')" 0
is "subject names carry （示例）" "$(cat "$T/sc.jsonl" "$T/sj.jsonl" | jq -r .subject.name | grep -cv '（示例）')" 0
code=$(jq -r 'select(.subject.kind == "legal") | .subject.code' "$T/sc.jsonl" | head -1)
ok "a generated USCC passes xinyong id" xy id "$code"
code=$(jq -r 'select(.subject.kind == "person") | .subject.code' "$T/sc.jsonl" | head -1)
ok "a generated ID number passes xinyong id" xy id "$code"
like "subjects appear under several units" \
	"$(jq -r .subject.code "$T/sc.jsonl" | sort -u >"$T/sc.codes"; jq -r .subject.code "$T/sj.jsonl" | sort -u |
		comm -12 - "$T/sc.codes" | wc -l)" '^[1-9][0-9]*$'

# Idempotent: the same seed again changes nothing.  Under ASan the whole demo takes
# about a minute, and on PostgreSQL more, so there the second run is one unit's part.
if [ -n "${XY_SANITIZED:-}" ] || [ "$XY_BACKEND" != sqlite ]; then
	j=$(xy demo --seed 2019 --only-unit 市场监管局 --format json)
	is "again (市场监管局 only): all unchanged" \
		"$(echo "$j" | jq -r '"\(.records) \(.new) \(.updated) \(.unchanged) \(.rejected)"')" "1719 0 0 1719 0"
else
	j=$(xy demo --seed 2019 --format json)
	is "again: all unchanged" \
		"$(echo "$j" | jq -r '"\(.records) \(.new) \(.updated) \(.unchanged) \(.rejected)"')" "$want 0 0 $want 0"
	# another seed in another database: the same counts, other subjects
	j=$(xy demo --seed 7 --only-unit 市场监管局 --db "$T/seed7/x.db" --format json)
	is "seed 7: same count for 市场监管局" "$(echo "$j" | jq -r .new)" 1719
	is "seed 7: other subjects" \
		"$(dsp --db "$T/seed7/x.db" --unit 市场监管局 | jq -r .subject.code | sort -u | comm -12 - "$T/sc.codes" | wc -l)" 0
fi
is "records unchanged" "$(rows records)" "$want"
is "no versions superseded" "$(rows record_versions)" 0

# text summary
out=$(xy demo --seed 2019 --only-unit 发改委)
like "text summary says generated" "$out" "generated — synthetic"
like "text summary gives records" "$out" "records +17: 0 new, 0 updated, 17 unchanged, 0 rejected"
fails "unknown unit" 1 xy demo --only-unit 无此单位
fails "bad seed" 2 xy demo --seed abc
