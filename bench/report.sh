#!/bin/sh
# Credit report benchmark (issue 10: "the credit report PDF for a subject
# with 200 records in < 200 ms"): a subject with RECORDS (200) generated
# 行政处罚 records, imported with `xinyong import`; then, in one run,
#   1. xy-report-pdf: the PDF rendered RUNS times in one process and thread,
#      as the server's writer thread renders it (process start excluded);
#   2. `xinyong report credit` wall time, process start included (median of
#      RUNS), and `xinyong show --public` as the process-start floor;
#   3. the peer: pango-view (pango1.0-tools) rendering one page of the same
#      report's text (pdftotext -layout of page 2, a full page of rows) with
#      the same font to a one-page PDF, process start included; compared
#      with the report's time per page.  (pango-view makes one page of any
#      text: the whole report's text as one 4,000-line page took 30 s.)
# Prints the figures and the ratio report/peer; a missed target is reported,
# not failed.  Environment: RECORDS, RUNS (5), BUILD (build), TMPDIR, KEEP.
set -eu

RECORDS=${RECORDS:-200}
RUNS=${RUNS:-5}
BUILD=${BUILD:-build}
TARGET_MS=200
XINYONG=$BUILD/xinyong
RENDER=$BUILD/bench/xy-report-pdf
CODE=91210802MA0XYQB02K

die() {
	echo "bench/report.sh: $*" >&2
	exit 1
}

[ -x "$XINYONG" ] || die "$XINYONG not built (run make build)"
[ -x "$RENDER" ] || die "$RENDER not built (run make build)"
for t in pango-view pdftotext pdfinfo; do
	command -v $t >/dev/null 2>&1 || die "$t is missing (apt-get install pango1.0-tools poppler-utils)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-bench.XXXXXX") || die "cannot create a temporary directory"
[ -n "${KEEP:-}" ] && echo "keeping $tmp" >&2 || trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
export XINYONG_DB=$tmp/xy.db XINYONG_TODAY=2026-11-26

# now_ms: a monotonic-enough clock in milliseconds
now_ms() { date +%s%3N; }

# median_ms CMD…: run CMD RUNS times, print the median wall time in ms
median_ms() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$RUNS" ]; do
		t0=$(now_ms)
		"$@" >/dev/null 2>&1 || die "failed: $*"
		echo $(($(now_ms) - t0)) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# the subject: generated name, generated document numbers
{
	echo "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD"
	awk -v n="$RECORDS" -v code="$CODE" 'BEGIN {
		for (i = 1; i <= n; i++) {
			printf "营口基准测试报告样本有限公司,法人及非法人组织,%s,,示例甲,,营市监罚〔2026〕%d号,", code, i
			printf "未按规定明码标价第%d项,经查当事人在经营场所销售商品未按规定明码标价,《中华人民共和国价格法》第十三条,", i
			printf "罚款,罚款%d元并责令改正,2026-%02d-%02d,2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般\n", 1000 + i, i % 9 + 1, i % 27 + 1
		}
	}'
} >"$tmp/cf.csv"
"$XINYONG" init >/dev/null
"$XINYONG" import "$tmp/cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 >/dev/null ||
	die "import failed"

set -- $("$RENDER" "$XINYONG_DB" "$CODE" "$RUNS")
view_ms=$1 model_ms=$2 first_ms=$3 pdf_ms=$4 min_ms=$5 bytes=$6

cli_ms=$(median_ms "$XINYONG" report credit "$CODE" --date 2026-11-20 -o "$tmp/r.pdf")
show_ms=$(median_ms "$XINYONG" show "$CODE" --public)
pages=$(pdfinfo "$tmp/r.pdf" | awk '/^Pages:/ { print $2 }')
size=$(stat -c %s "$tmp/r.pdf")
pdftotext -layout -f 2 -l 2 "$tmp/r.pdf" "$tmp/r.txt"
peer_ms=$(median_ms pango-view -q --language=zh-cn --font "Noto Sans CJK SC 8.5" \
	--width=480 --output "$tmp/peer.pdf" "$tmp/r.txt")
peer_pages=$(pdfinfo "$tmp/peer.pdf" | awk '/^Pages:/ { print $2 }')
peer_size=$(stat -c %s "$tmp/peer.pdf")

echo "credit report, $RECORDS records: $pages pages, $size bytes (CLI)"
echo "  in process (server-like), PDF only: median ${pdf_ms} ms, min ${min_ms} ms, first ${first_ms} ms (font set-up); view ${view_ms} ms, model ${model_ms} ms"
echo "  xinyong report credit (process start, view, issue, write): median ${cli_ms} ms"
echo "  xinyong show --public (process start floor): median ${show_ms} ms"
echo "  peer pango-view, page 2's text, same font: median ${peer_ms} ms ($peer_pages page, $peer_size bytes)"
awk -v a="$pdf_ms" -v p="$pages" -v b="$peer_ms" 'BEGIN {
	printf "  ratio report PDF per page / pango-view page: %.1f ms / %d ms = %.2fx\n", a / p, b, a / p / b }'
awk -v a="$pdf_ms" -v v="$view_ms" -v m="$model_ms" -v t=$TARGET_MS 'BEGIN {
	s = a + v + m
	printf "  target < %d ms (view + model + PDF in process): %.0f ms, %s\n", t, s, s < t ? "met" : "NOT met"
}'
echo "  machine: $(nproc) CPU, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
