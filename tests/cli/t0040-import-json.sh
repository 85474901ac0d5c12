#!/bin/sh
# Import of a JSON array, and count-type categories (records without a subject).
. "$(dirname "$0")/lib.sh"

cat >"$T/cf.json" <<'J'
[
 {"CF_XDR_MC":"营口望海食品有限公司（示例）","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"USCC1",
  "CF_WSH":"营公罚〔2019〕1号","CF_WFXW":"违反治安管理","CF_SY":"示例违法事实","CF_YJ":"《治安管理处罚法》",
  "CF_CFLB":"罚款","CF_NR":"罚款500元","CF_NR_FK":0.05,"CF_JDRQ":"2019-05-06","CF_YXQ":"2020-05-06",
  "CF_CFJG":"营口市公安局","CF_CFJGDM":"USCC2","CF_SJLY":"营口市公安局","CF_SJLYDM":"USCC2"},
 {"CF_XDR_MC":"张示例","CF_XDR_LB":"自然人","CF_XDR_ZJLX":"身份证","CF_XDR_ZJHM":"11010519491231002X",
  "CF_WSH":"营公罚〔2019〕2号","CF_WFXW":"违反治安管理","CF_SY":"示例违法事实","CF_YJ":"《治安管理处罚法》",
  "CF_CFLB":"警告","CF_NR":"警告","CF_JDRQ":"2019年5月7日","CF_YXQ":"2020-05-07",
  "CF_CFJG":"营口市公安局","CF_CFJGDM":"USCC2","CF_SJLY":"营口市公安局","CF_SJLYDM":"USCC2"},
 {"CF_XDR_MC":"自然人缺号码","CF_XDR_LB":"自然人",
  "CF_WSH":"营公罚〔2019〕3号","CF_WFXW":"违反治安管理","CF_SY":"示例违法事实","CF_YJ":"《治安管理处罚法》",
  "CF_CFLB":"警告","CF_NR":"警告","CF_JDRQ":"2019-05-08","CF_YXQ":"2020-05-08",
  "CF_CFJG":"营口市公安局","CF_CFJGDM":"USCC2","CF_SJLY":"营口市公安局","CF_SJLYDM":"USCC2"}
]
J
# Fill in valid codes computed by xinyong (so no check character is hard-coded here).
mk() { for c in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R T U W X Y; do
	xy id "$1$c" >/dev/null 2>&1 && { echo "$1$c"; return; }; done; }
u1=$(mk 91210804MA0TEXT01)
u2=$(mk 11210800MB1234567)
sed -i "s/USCC1/$u1/; s/USCC2/$u2/g" "$T/cf.json"

j=$(xy import --unit 公安局 --category 行政处罚 --format json "$T/cf.json")
is "json: 3 rows, 2 new, 1 rejected" "$(echo "$j" | jq -r '"\(.rows) \(.new) \(.rejected)"')" "3 2 1"
is "format json" "$(echo "$j" | jq -r .format)" json
report=$(echo "$j" | jq -r .error_report)
like "error report is JSON" "$report" '\.errors\.json$'
is "JSON report holds the rejected object with its reason" \
	"$(jq -r '.[0].CF_WSH + " " + (.[0]["错误原因"] | test("证件号码")|tostring)' "$report")" "营公罚〔2019〕3号 true"
is "number cell kept as decimal" "$(records | jq -r 'select(.key == "营公罚〔2019〕1号") | .data.CF_NR_FK')" 0.05
is "Chinese date normalised" "$(dsp | jq -r 'select(.key == "营公罚〔2019〕2号") | .decided_on')" 2019-05-07
is "natural person keyed by ID number" "$(xy show 11010519491231002X --format json | jq -r '.subject.kind + " " + .subject.code_type')" "person ric"

# Count-type category: records without a subject; no key column → identity is the content.
printf '标题,日期,链接\n营口日报刊发信用建设专题报道,2019-09-12,示例报纸\n“诚信营口”微信推文,2019-09-20,\n' >"$T/bd.csv"
before=$(rows records subjects)
j=$(xy import --unit 站前区 --category 信用工作报道 --format json "$T/bd.csv")
is "count category: 2 new" "$(echo "$j" | jq -r .new)" 2
is "records without a subject: 2 more records, no subject" "$(rows records subjects)" \
	"$((${before% *} + 2)) ${before#* }"
j=$(xy import --unit 站前区 --category 信用工作报道 --format json "$T/bd.csv")
is "count category re-import is idempotent (content key)" "$(echo "$j" | jq -r '"\(.new) \(.unchanged)"')" "0 2"
