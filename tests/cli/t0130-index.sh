#!/bin/sh
# xinyong index: the city's monthly credit index and national rank, and its chart.
. "$(dirname "$0")/lib.sh"

ok "add a month" xy index add 2019-08 82.43 57
ok "add another, written as the bulletin writes it" xy index add 2019.07 81.28 69
j=$(xy index show --format json)
is "two months in order" "$(echo "$j" | jq -c '[.months[].month]')" '["2019-07","2019-08"]'
is "figures kept" "$(echo "$j" | jq -c '.months[1] | [.score, .rank]')" '[82.43,57]'
is "rank change: up 12 places" "$(echo "$j" | jq '.months[1].rank_change')" 12
is "trend over the range" "$(echo "$j" | jq -c '.trend | [.from, .to, .score_change, .rank_change]')" '["2019-07","2019-08",1.15,12]'

ok "re-adding a month replaces it" xy index add 2019-08 82.5 55
is "replaced, not duplicated" "$(xy index show --format json | jq -c '[.months[] | select(.month == "2019-08") | [.score, .rank]]')" '[[82.5,55]]'

fails "month 13" 1 xy index add 2019-13 80 10
like "says which part is wrong" "$(cat "$T/.err")" "月份"
fails "score over 100" 1 xy index add 2019-09 100.5 10
fails "negative score" 1 xy index add 2019-09 -1 10
fails "score not a number" 1 xy index add 2019-09 abc 10
fails "rank 0" 1 xy index add 2019-09 80 0
fails "fractional rank" 1 xy index add 2019-09 80 1.5
fails "missing rank" 2 xy index add 2019-09 80
fails "unknown subcommand" 2 xy index frobnicate
is "nothing stored by the failures" "$(xy index show --format json | jq '.months | length')" 2

ok "import the 2019 monitoring table" xy index import "$SAMPLES/city-index-2019.tsv"
j=$(xy index show --format json)
is "six months 2019-03..2019-08" "$(echo "$j" | jq -c '[.months[0].month, .months[-1].month, (.months | length)]')" '["2019-03","2019-08",6]'
is "import replaced 2019-08" "$(echo "$j" | jq -c '.months[-1] | [.score, .rank]')" '[82.43,57]'
is "worst to best: up 48 places since March" "$(echo "$j" | jq '.trend.rank_change')" 48
out=$(xy index show)
like "table output has the months as printed" "$out" "2019\.05 +78\.83 +122"
like "and the trend sentence" "$out" "排名 105 → 57（上升 48 位）"
is "--from/--to limit show" "$(xy index show --from 2019-05 --to 2019-06 --format json | jq -c '[.months[].month]')" '["2019-05","2019-06"]'

printf '月份\t综合指数\t排名\n2019.09\t83\t50\n2019.10\t250\t40\n' >"$T/bad.tsv"
fails "a bad line fails the whole file" 1 xy index import "$T/bad.tsv"
like "with file and row" "$(cat "$T/.err")" "bad.tsv:3: 综合指数"
is "and nothing of it is stored" "$(xy index show --format json | jq '.months | length')" 6

ok "chart as SVG" xy index chart -o "$T/c.svg"
like "an SVG document" "$(head -c 300 "$T/c.svg")" "<svg"
ok "chart as PNG for a range" xy index chart --from 2019-04 --to 2019-07 -o "$T/c.png"
is "a PNG" "$(head -c 8 "$T/c.png" | od -An -c | tr -d ' ')" '211PNG\r\n032\n'
ok "chart as PDF" xy index chart -o "$T/c.pdf"
t=$(pdftotext "$T/c.pdf" - 2>&1)
like "the title in Chinese" "$t" "城市信用综合指数与排名"
like "axis names" "$t" "综合指数"
like "months labelled" "$t" "2019\.03"
like "values labelled" "$t" "81\.54"
like "in Noto Sans CJK SC" "$(pdffonts "$T/c.pdf")" "NotoSansCJKsc"
fails "unknown extension" 1 xy index chart -o "$T/c.gif"
fails "unwritable place" 1 xy index chart -o "$T/no/such/dir/c.png"
fails "no -o" 2 xy index chart
fails "empty range" 1 xy index chart --from 2030-01 -o "$T/e.png"
fails "backwards range" 2 xy index chart --from 2019-08 --to 2019-03 -o "$T/e.png"
is "no partial files left" "$(ls "$T" | grep -c '^[ce]\.\(gif\|png\)\.')" 0
