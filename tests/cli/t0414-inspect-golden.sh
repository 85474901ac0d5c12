#!/bin/sh
# Published draws verify forever (issue 12, docs/inspection.md "The draw"): a
# fixed generated population (30,000 subjects: 18-character USCC-like and
# personal-like codes, short codes, codes sharing a 26-byte prefix, codes in
# Chinese; given, empty and unknown grades; districts and none; 重点 flags;
# links and own districts as conflicts; teams of 3) drawn with a fixed plan and
# random value must give the same population digest and the same draw text,
# byte for byte, as the algorithm did before the draw was made fast.
#
# GOLDEN values: computed BEFORE the draw's speed-up (branch draw, 2026-12-02)
# by the unchanged code of main 17bb4c8 (build of that commit, this very
# script); a change of either is a change of every published draw.
. "$(dirname "$0")/lib.sh"

GOLD_POP=f8aa13ee148d9ec7cd459437f2e4dc7f3a43067c672cb287d28e3998ceb26303
GOLD_DRAW=ea5f4aa26259fe26306cec58ed177d6a368fdec12239300c285c626509ed053d

cat >"$T/plan.json" <<'J'
{"name":"固定抽查（核验基准）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "ratios":{"A":0.1,"B":"7%","C":0.25,"D":1},"team_size":3,"not_own_district":true,
 "inspectors":[
  {"name":"检查员01","unit":"市场监管局","district":"站前区","links":["S10","S15","企业00000024"]},
  {"name":"检查员02","unit":"市场监管局","district":"西市区"},
  {"name":"检查员03","unit":"市场监管局","district":"老边区","links":["S10"]},
  {"name":"检查员04","unit":"市场监管局","district":"站前区"},
  {"name":"检查员05","unit":"市场监管局","district":"鲅鱼圈区"},
  {"name":"检查员06","unit":"市场监管局","district":"盖州市"},
  {"name":"检查员07","unit":"市场监管局","district":"大石桥市"},
  {"name":"检查员08","unit":"市场监管局"},
  {"name":"检查员09","unit":"市场监管局","district":"西市区","links":["S20"]}]}
J
# 30,000 subjects in a scrambled order (a fixed linear congruential sequence)
awk 'BEGIN {
	split("站前区 西市区 鲅鱼圈区 老边区 盖州市 大石桥市 -", d, " ")
	split("-,A,B,C,D,-,A", g, ",")
	al = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	x = 12345
	print "主体代码\t等级\t区域\t重点"
	for (i = 0; i < 30000; i++) {
		x = (x * 1103515245 + 12345) % 2147483648
		k = i % 5
		if (k == 0) {
			c = "9121080"; y = x
			for (j = 0; j < 11; j++) { c = c substr(al, y % 31 + 1, 1); y = int(y / 7) + j * 13 }
		} else if (k == 1)
			c = sprintf("2108%02d19%08d%04d", x % 90, x % 100000000, i)
		else if (k == 2)
			c = "S" i
		else if (k == 3)
			c = sprintf("LONGPREFIX-ABCDEFGHIJKLMN-%06d", x % 1000000)
		else
			c = sprintf("企业%08d", i)
		di = d[i % 7 + 1]; gi = g[x % 7 + 1]
		printf "%s\t%s\t%s\t%s\n", c, gi == "-" ? "" : gi, di == "-" ? "" : di, i % 97 == 0 ? "1" : ""
	}
}' | awk -F'\t' '!seen[$1]++' >"$T/subjects.tsv"

ok "init" xy init
ok "plan add" xy inspect plan add "$T/plan.json"
ok "draw" xy inspect draw 1 --subjects "$T/subjects.tsv" --random '2026-12-02 固定随机数 0414'
ok "export" xy inspect export 1 --dir "$T/pub"
is "the population digest is the golden one" "$(sha256sum <"$T/pub/population.tsv" | cut -c1-64)" "$GOLD_POP"
is "the draw text is the golden one" "$(sha256sum <"$T/pub/draw.txt" | cut -c1-64)" "$GOLD_DRAW"
like "… which names that digest" "$(cat "$T/pub/draw.txt")" "population	$GOLD_POP"
ok "verify" xy inspect verify 1
like "… identical" "$(cat "$T/.out")" "一致"
ok "verify the bundle without the database" env XINYONG_DB=/nonexistent/x.db "$XINYONG" inspect verify --inputs "$T/pub"
# a population text out of code order is refused, not re-sorted
{ head -n 1 "$T/pub/population.tsv"; tail -n +2 "$T/pub/population.tsv" | sort -r; } >"$T/rev.tsv"
cp -r "$T/pub" "$T/bad" && cp "$T/rev.tsv" "$T/bad/population.tsv"
fails "a population text out of order fails verify" 1 "$XINYONG" inspect verify --inputs "$T/bad"
like "… as not canonical" "$(cat "$T/.out")" "不是规范形式"
