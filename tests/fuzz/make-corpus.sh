#!/bin/sh
# Rebuild the seed corpora tests/fuzz/corpus/<target>/ from the fixtures under
# tests/data/ and data/samples/ (every seed is a copy of a fixture, or for the
# XLSX and ODS "parts" seeds the fixture's XML parts unpacked into the
# harness's "== name" format, fuzz.h).  Run from anywhere; needs unzip.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
C=$ROOT/tests/fuzz/corpus
D=$ROOT/tests/data
rm -rf "$C"
mkdir -p "$C/csv" "$C/json" "$C/xlsx" "$C/xls" "$C/ods" "$C/import"

seed() { # target file [name]
	cp "$2" "$C/$1/${3:-$(basename "$2")}"
}

# parts target zipfile name member...: the named members as "== member" parts
parts() {
	t=$1 z=$2 out=$C/$1/$3
	shift 3
	: >"$out"
	for m in "$@"; do
		if unzip -l "$z" "$m" >/dev/null 2>&1; then
			printf '== %s\n' "$m" >>"$out"
			unzip -p "$z" "$m" >>"$out"
			printf '\n' >>"$out"
		fi
	done
}

for f in "$D"/csv/*.csv "$D"/import/*.csv "$D"/xls/simple-2019.csv; do seed csv "$f"; done
for f in "$D"/headers/*.tsv; do seed csv "$f" "headers-$(basename "$f")"; done
seed csv "$ROOT/data/samples/市场监管局-行政处罚-2019-10.csv" sample-xzcf.csv
for f in "$D"/json/*.json "$D"/import/xzcf.json; do seed json "$f"; done
for f in "$D"/xls/*.xls; do seed xls "$f"; done
for f in "$D"/xlsx/*.xlsx "$D"/intake/template-2019.xlsx; do seed xlsx "$f"; done
seed xlsx "$ROOT/data/samples/市审批局-行政许可-2019-10.xlsx" sample-xzxk.xlsx
for f in "$D"/xlsx/*.xlsx "$D"/intake/template-2019.xlsx; do
	sheets=$(unzip -Z1 "$f" | grep '^xl/worksheets/[^/]*\.xml$' || true)
	# shellcheck disable=SC2086
	parts xlsx "$f" "$(basename "$f" .xlsx).parts" xl/workbook.xml xl/_rels/workbook.xml.rels \
		xl/sharedStrings.xml xl/styles.xml $sheets
done
for f in "$D"/ods/*.ods "$D"/intake/template-2019.ods; do
	seed ods "$f"
	parts ods "$f" "$(basename "$f" .ods).parts" mimetype content.xml
done
for f in "$D"/import/xzcf-utf8.csv "$D"/import/xzcf-gb18030.csv "$D"/import/xzcf.json \
	"$D"/import/dup-header.csv "$D"/csv/utf16le-tab.csv "$D"/json/envelope-nested.json \
	"$D"/intake/template-2019.xlsx "$D"/intake/template-2019.ods "$D"/xls/simple-2019.xls; do
	seed import "$f"
done
seed import "$ROOT/data/samples/市场监管局-行政处罚-2019-10.csv" sample-xzcf.csv
du -sh "$C"
