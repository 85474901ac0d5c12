#!/bin/sh
# Configuration is data: a new database is seeded from --config DIR; USCC exceptions import
# with a warning; a broken configuration is refused with its file and line.
. "$(dirname "$0")/lib.sh"

cp -r "$ROOT/data" "$T/cfg"
rm -rf "$T/cfg/samples"

# A code whose check character is wrong: made from a valid one.
mk() { for c in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R T U W X Y; do
	xy id "$1$c" >/dev/null 2>&1 && { echo "$1$c"; return; }; done; }
good=$(mk 91350100M00010XY4)
bad=$(printf %s "$good" | cut -c1-17)$([ "$(printf %s "$good" | cut -c18)" = 0 ] && echo 1 || echo 0)
fails "the altered code is invalid" 1 xy id "$bad"
printf '%s\t示例：2016 年前登记的代码（测试用）\n' "$bad" >>"$T/cfg/uscc-exceptions.tsv"

printf '行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期,许可机关\n福州示例贸易有限公司,%s,闽许〔2015〕1号,2015-06-01,示例许可机关\n' "$bad" >"$T/xk.csv"

newdb "$T/plain.db"
j=$(xy import --unit 市审批局 --category 行政许可 --format json "$T/xk.csv")
is "without the exception: rejected" "$(echo "$j" | jq -r .rejected)" 1

newdb "$T/excepted.db"
j=$(xy import --config "$T/cfg" --unit 市审批局 --category 行政许可 --format json "$T/xk.csv" 2>"$T/warn")
is "configured exception: accepted" "$(echo "$j" | jq -r '"\(.new) \(.rejected)"')" "1 0"
like "configured exception: warning" "$(cat "$T/warn")" "$bad.*exception"
j=$(xy import --unit 市审批局 --category 行政许可 --format json "$T/xk.csv" 2>"$T/warn")
is "the exception is in the database: accepted without --config" \
	"$(echo "$j" | jq -r '"\(.unchanged) \(.rejected)"')" "1 0"

# A unit added to the configuration exists in a new database.
printf '示例新区\tcounty\t210899\t99\n' >>"$T/cfg/units.tsv"
newdb "$T/newunit.db"
is "a configured unit is seeded" "$(xy init --config "$T/cfg" --format json | jq -r .units)" 65
ok "and can report" xy import --unit 示例新区 --category 行政许可 "$T/xk.csv"

# Broken configuration: refused, naming file and line.
printf '行政处罚\tCF_XX\t示例\tcolour\t\t0\t\t\n' >>"$T/cfg/fields.tsv"
newdb "$T/broken.db"
fails "a broken configuration is refused" 1 xy init --config "$T/cfg"
like "the message names file, line and field" "$(cat "$T/.err")" "fields.tsv:[0-9]+: type: unknown field type 'colour'"
