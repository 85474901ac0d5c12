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
is "one batch per cell and month" "$(q "select count(*) from batches where status='committed'")" "$batches"
is "no rejected rows stored" "$(rows batch_errors)" 0
is "records stored" "$(rows records)" "$want"
is "reported in 2019-01..2019-10 only" \
	"$(q "select count(*) from batches where reported_on < '2019-01-01' or reported_on > '2019-10-31'")" 0
like "files written beside the database" "$(ls "$T/var/demo" | head -1)" '\.csv$'
is "some files are GB18030" "$(q "select count(*) > 0 from batches where encoding='gb18030'")" 1
lists=$(q "select count(*) from records r join categories c on c.id = r.category_id where c.name in ('地方发布红名单', '地方发布黑名单')")
is "every 地方发布红/黑名单 row became a list entry" "$(echo "$j" | jq -r '"\(.list_entries) \(.list_problems)"')" "$lists 0"
is "… stored, each linked to its record" "$(q 'select count(*) from list_entries e join list_entry_records l on l.entry_id = e.id')" "$lists"
is "… designated types only from their designating unit" \
	"$(q "select count(*) from list_entries e join list_types t on t.id = e.list_type_id join units u on u.id = e.unit_id where t.name = '拖欠农民工工资失信联合惩戒对象名单' and u.name <> '人社局'")" 0

# cell UNIT CATEGORY: records the unit reported in the category over 2019-01..2019-10
cell() {
	q "select coalesce(sum(b.added), 0) from batches b join units u on u.id = b.unit_id
	   join categories c on c.id = b.category_id
	   where u.name = '$1' and c.name = '$2' and b.reported_on between '2019-01-01' and '2019-10-31'"
}
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
q -separator "$(printf '\t')" "select u.name, c.name, coalesce((select sum(b.added) from batches b
	where b.unit_id = u.id and b.category_id = c.id and b.status = 'committed'
	and b.reported_on between '2019-01-01' and '2019-10-31'), 0)
	from units u, categories c" | sort >"$T/all.tsv"
awk -F'\t' 'NR == FNR { got[$1 FS $2] = $3; next } got[$1 FS $2] != $3 { print }' \
	"$T/all.tsv" "$T/want.tsv" >"$T/diff.tsv"
is "every cell of both tables (1118 cells)" "$(wc -l <"$T/want.tsv") $(wc -l <"$T/diff.tsv")" "1118 0"
[ -s "$T/diff.tsv" ] && head -5 "$T/diff.tsv" | sed 's/^/#   differs: /'
is "no records outside the tables' cells" "$(awk -F'\t' '{ s += $3 } END { print s }' "$T/all.tsv")" "$want"
is "departments' 总计 column = sum of each row" \
	"$(awk -F'\t' 'FNR > 1 && $2 != "合计" { s = 0; for (i = 3; i < NF; i++) s += $i; if (s != $NF) print $2 }' \
		"$REF/bulletin-2019-10-departments.tsv" | wc -l)" 0

# subjects: valid codes with Yingkou divisions, names marked as examples
is "subjects all in Yingkou divisions" \
	"$(q "select count(*) from subjects where division not in ('210802','210803','210804','210811','210881','210882')")" 0
is "subject names carry （示例）" "$(q "select count(*) from subjects where name not like '%（示例）%'")" 0
code=$(q "select code from subjects where kind='legal' limit 1")
ok "a generated USCC passes xinyong id" xy id "$code"
# (a person's number is encrypted at rest: read it through show, by the person's name)
code=$(xy show "$(q "select name from subjects where kind='person' limit 1")" --format json | jq -r .subject.code)
ok "a generated ID number passes xinyong id" xy id "$code"
like "subjects appear under several units" \
	"$(q "select count(*) from (select subject_id from records where subject_id is not null
	      group by subject_id having count(distinct unit_id) >= 2)")" '^[1-9][0-9]{3,}$'

# Idempotent: the same seed again changes nothing.  Under ASan the whole demo takes
# about a minute, so there the second run is one unit's part.
if [ -n "${XY_SANITIZED:-}" ]; then
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
		"$(q "attach '$T/seed7/x.db' as o; select count(*) from o.subjects s join main.subjects m using (code)")" 0
fi
is "records unchanged" "$(rows records)" "$want"
is "no versions superseded" "$(rows record_versions)" 0

# text summary
out=$(xy demo --seed 2019 --only-unit 发改委)
like "text summary says generated" "$out" "generated — synthetic"
like "text summary gives records" "$out" "records +17: 0 new, 0 updated, 17 unchanged, 0 rejected"
fails "unknown unit" 1 xy demo --only-unit 无此单位
fails "bad seed" 2 xy demo --seed abc
