#!/bin/sh
# Golden check of `xinyong stats` against the bulletin's two tables.
#
#   compare-stats.sh XINYONG [DB]   stats --from 2019-01 --to 2019-10 --format csv of DB
#                                   (default $XINYONG_DB) must equal, cell for cell, the
#                                   bulletin's tables with their totals corrected
#                                   (bulletin-2019-10-departments.corrected.tsv: the four
#                                   wrong 合计 cells fixed) and bulletin-2019-10-regions.tsv.
#   compare-stats.sh --self-test    check the corrected reference itself: its 合计 row is
#                                   the sum of its rows, its 总计 column the sum of each row.
#
# The TSVs print zero as blank (and 总计 0 as 0); the CSV prints every zero blank.  Meant for
# the demo database (xinyong demo --seed 2019), whose data reproduces the bulletin.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DEP="$HERE/bulletin-2019-10-departments.corrected.tsv"
REG="$HERE/bulletin-2019-10-regions.tsv"

# TSV as printed → the CSV xinyong writes (BOM, commas, CRLF, zero blank except a
# 总计 column's 0, which the bulletin prints).  $2: 1 when the last column is 总计.
to_csv() {
	printf '\357\273\277'
	awk -F'\t' -v total="$2" 'BEGIN { OFS = "," } {
		for (i = 1; i <= NF; i++) if ($i == "0" && !(total && i == NF)) $i = ""
		$1 = $1; printf "%s\r\n", $0 }' "$1"
}

if [ "${1:-}" = "--self-test" ]; then
	awk -F'\t' '
		NR == 1 { next }
		NR == 2 { for (i = 3; i <= NF; i++) printed[i] = $i; n = NF; next }
		{ s = 0; for (i = 3; i < NF; i++) { sum[i] += $i; s += $i }
		  sum[NF] += $NF
		  if (s != $NF) { print "row " $2 ": 总计 " $NF " but the row sums to " s; bad = 1 } }
		END { for (i = 3; i <= n; i++) if (sum[i] != printed[i]) {
			print "column " i ": 合计 " printed[i] " but the rows sum to " sum[i]; bad = 1 }
		      exit bad }' "$DEP" || exit 1
	[ "$(to_csv "$DEP" 1 | wc -l)" -eq 65 ] || { echo "departments: not 65 lines"; exit 1; }
	[ "$(to_csv "$REG" 0 | wc -l)" -eq 12 ] || { echo "regions: not 12 lines"; exit 1; }
	exit 0
fi

X=${1:?usage: compare-stats.sh XINYONG [DB] | --self-test}
DB=${2:-${XINYONG_DB:-var/xinyong.db}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rc=0
for layout in department region; do
	if [ $layout = department ]; then ref=$DEP total=1; else ref=$REG total=0; fi
	to_csv "$ref" $total >"$T/want.csv"
	"$X" stats --db "$DB" --from 2019-01 --to 2019-10 --by $layout --format csv >"$T/got.csv" || exit 2
	if cmp -s "$T/want.csv" "$T/got.csv"; then
		echo "ok - $layout table equals the bulletin (totals corrected)"
	else
		echo "not ok - $layout table differs from the bulletin:"
		diff "$T/want.csv" "$T/got.csv" | tr -d '\r' | head -40 | sed 's/^/#   /'
		rc=1
	fi
done
exit $rc
