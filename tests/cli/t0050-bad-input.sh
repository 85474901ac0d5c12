#!/bin/sh
# Bad input: every broken file is refused with a message naming it, every bad row is
# rejected with its row and reason, and nothing accepted before is lost or changed.
. "$(dirname "$0")/lib.sh"

imp() { xy import --unit 市场监管局 --category 行政处罚 --format json "$@"; }
count() { rows records; }
sum() { records | md5sum; }

# Good rows to build on: header + two valid rows of the sample, as UTF-8 with LF.
iconv -f GB18030 -t UTF-8 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" | tr -d '\r' >"$T/all.csv"
head -3 "$T/all.csv" >"$T/good.csv"
hdr=$(head -1 "$T/good.csv")
row2=$(sed -n 2p "$T/good.csv")
row3=$(sed -n 3p "$T/good.csv")
ok "baseline: two good rows import" imp "$T/good.csv"
base=$(count)
is "baseline holds 2 records" "$base" 2
before=$(sum)

refused() { # DESC FILE PATTERN [import options]
	d=$1 f=$2 pat=$3
	shift 3
	imp "$@" "$f" >"$T/r.out" 2>"$T/r.err"
	rc=$?
	is "$d: exit 1" "$rc" 1
	like "$d: message names the file and the reason" "$(cat "$T/r.err")" "$(basename "$f").*($pat)"
	is "$d: status refused" "$(jq -r .status "$T/r.out" 2>/dev/null)" refused
	is "$d: stored records untouched" "$(sum)" "$before"
}

: >"$T/empty.csv"
refused "empty file" "$T/empty.csv" "empty"

printf '%s\n' "$hdr" >"$T/header-only.csv"
j=$(imp "$T/header-only.csv")
is "header only: committed with 0 rows" "$(echo "$j" | jq -r '"\(.status) \(.rows)"')" "committed 0"

sed '1s/$/,内部编号/; 2,$s/$/,A-17/' "$T/good.csv" >"$T/unknown.csv"
j=$(imp "$T/unknown.csv" 2>"$T/warn")
# An unknown column is kept, never dropped: its values join each record under
# "_extra" (so the records change), and the column is listed with the batch.
is "unknown column: rows still import (updated with the kept values)" "$(echo "$j" | jq -r '"\(.rows) \(.updated) \(.rejected)"')" "2 2 0"
like "unknown column: warning names it and says the values are kept" "$(cat "$T/warn")" "内部编号.*kept with the batch"
is "unknown column: listed in the summary" "$(echo "$j" | jq -r '.unmapped_columns[0] | "\(.column) \(.header) \(.cells)"')" "21 内部编号 2"
is "unknown column: its values kept in the records" "$(records | jq -r '.data._extra["内部编号"]' | paste -sd,)" "A-17,A-17"
fails "unknown column: --strict refuses such a file" 1 imp --strict "$T/unknown.csv"
ok "baseline again: the two good rows" imp "$T/good.csv"
is "baseline again: records as before" "$(sum)" "$before"

sed '1s/$/,行政处罚决定书文号/; 2,$s/$/,X/' "$T/good.csv" >"$T/dup.csv"
refused "duplicated header" "$T/dup.csv" "both name field CF_WSH"

printf '内部编号,备用\nA,B\n' >"$T/nofield.csv"
refused "no known header" "$T/nofield.csv" "no column"

cut -d, -f1-6,8- "$T/good.csv" >"$T/missing.csv"
refused "required column missing" "$T/missing.csv" "required columns missing: 行政处罚决定书文号"

# A 10,000-column row among good ones.
{ cat "$T/good.csv"; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "x,"; print "x" }'; } >"$T/wide.csv"
j=$(imp "$T/wide.csv")
is "10,000-column row: rejected, the rest kept" "$(echo "$j" | jq -r '"\(.rows) \(.unchanged) \(.rejected)"')" "3 2 1"
like "10,000-column row: reason" "$(xy batches "$(echo "$j" | jq -r .batch)" --format json | jq -r '.errors[0].reason_en')" "column"

# A 1 MiB cell in 违法事实.
# (built with awk: a 1 MiB argument would pass the kernel's per-argument limit)
echo "$row2" | sed 's/001号/901号/' | awk -F, -v OFS=, '{ s = "a"; while (length(s) < 1048576) s = s s; $9 = s; print }' >"$T/row.csv"
{ printf '%s\n' "$hdr"; cat "$T/row.csv"; } >"$T/bigcell.csv"
j=$(imp "$T/bigcell.csv")
is "1 MiB cell: row rejected" "$(echo "$j" | jq -r '"\(.rows) \(.new) \(.rejected)"')" "1 0 1"
like "1 MiB cell: reason says too long" "$(xy batches "$(echo "$j" | jq -r .batch)" --format json | jq -r '.errors[0].reason_en')" "at most|longer|bytes"

# Invalid UTF-8 in one row of a UTF-8 file.
{ cat "$T/good.csv"; echo "$row3" | sed 's/002号/902号/; s/违反/\xff\xfe违反/'; } >"$T/badutf8.csv"
j=$(imp "$T/badutf8.csv")
is "invalid UTF-8: encoding still utf-8" "$(echo "$j" | jq -r .encoding)" utf-8
is "invalid UTF-8: that row rejected, others unchanged" "$(echo "$j" | jq -r '"\(.unchanged) \(.rejected)"')" "2 1"

# NUL bytes in one row.
{ cat "$T/good.csv"; echo "$row3" | sed 's/002号/903号/; s/违反/\x00违反/'; } >"$T/nul.csv"
j=$(imp "$T/nul.csv")
is "NUL byte: that row rejected" "$(echo "$j" | jq -r '"\(.unchanged) \(.rejected)"')" "2 1"

# Mixed line endings: CRLF, LF and CR in one file.
printf '%s\r\n%s\n%s\r' "$hdr" "$row2" "$row3" >"$T/mixed.csv"
j=$(imp "$T/mixed.csv")
is "mixed line endings: both rows read" "$(echo "$j" | jq -r '"\(.rows) \(.unchanged) \(.rejected)"')" "2 2 0"

# Binary junk and a truncated XLSX.
head -c 4096 "$XINYONG" >"$T/junk.csv"
refused "binary junk" "$T/junk.csv" "binary|not|encoding"
x="$SAMPLES/市审批局-行政许可-2019-10.xlsx"
head -c 3000 "$x" >"$T/truncated.xlsx"
xlsx_before=$(sum)
xy import --unit 市审批局 --category 行政许可 --format json "$T/truncated.xlsx" >"$T/r.out" 2>"$T/r.err"
is "truncated XLSX: exit 1" "$?" 1
like "truncated XLSX: message" "$(cat "$T/r.err")" "truncated.xlsx.*(zip|truncated|damaged)"
is "truncated XLSX: nothing written" "$(sum)" "$xlsx_before"

# A zip bomb: a small XLSX whose sheet expands far past the configured limit.
mkdir -p "$T/bomb" && (cd "$T/bomb" && unzip -q "$x")
sheet=$(ls "$T/bomb/xl/worksheets/"*.xml | head -1)
{ printf '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
  head -c 67108864 /dev/zero | tr '\0' ' '
  printf '</sheetData></worksheet>'; } >"$sheet"
(cd "$T/bomb" && zip -q -9 -r "$T/bomb.xlsx" .)
is "zip bomb is small" "$(test "$(stat -c %s "$T/bomb.xlsx")" -lt 1000000 && echo small)" small
xy import --unit 市审批局 --category 行政许可 --max-unzipped 16M --format json "$T/bomb.xlsx" >"$T/r.out" 2>"$T/r.err"
is "zip bomb: exit 1" "$?" 1
like "zip bomb: refused past the limit" "$(cat "$T/r.err")" "bomb.xlsx.*(limit|expands)"
is "zip bomb: nothing written" "$(sum)" "$xlsx_before"

# Refusals are on record (empty, --strict, duplicated header, no header, missing column, …).
is "refused batches are listed" "$(xy batches --format json | jq '[.[] | select(.status == "refused")] | length')" 8

# Usage errors.
fails "unknown unit" 1 imp --unit 市场监督局 "$T/good.csv"
like "unknown unit: message" "$(cat "$T/.err")" "unknown source unit '市场监督局'"
fails "unknown category" 1 xy import --unit 市场监管局 --category 行政处分 "$T/good.csv"
like "unknown category: message" "$(cat "$T/.err")" "unknown category '行政处分'"
fails "missing file" 1 imp "$T/nope.csv"
like "missing file: message" "$(cat "$T/.err")" "nope.csv.*(No such file|cannot open)"
fails "no --unit" 2 xy import --category 行政处罚 "$T/good.csv"
fails "future reporting date" 1 imp --reported-on 2030-01 "$T/good.csv"
fails "bad reporting date" 1 imp --reported-on 2019-13 "$T/good.csv"
is "after all that, the two good records are intact" "$(sum)" "$before"
