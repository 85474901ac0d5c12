# Fixtures of the units' routes (tests/http/matrix.tsv, "# unit"), sourced by
# the matrix runner after the server and tokens exist.  Generated codes and
# names only.  Sets:
#   unit_check       a check run by unit sj (市审批局), answer 无
#   unit_case        a repair case at step 申请, routed to unit sc (市场监管局)
#   unit_commitment  a commitment received by unit sj
#   unit_unwatched   a stored subject no unit watches
#   unit_notice      a notice of unit sj (市审批局 watched unit_co3 when a black list got
#                    it, then stopped: its watch list stays empty)
unit_co=91210802MA0XYUA01G
unit_co2=91210802MA0XYUB029
unit_ag=11210800MAR7YF578P
{
	echo CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
	for n in 1 2; do
		echo "营口矩阵示例有限公司,法人及非法人组织,$unit_co,营市监罚〔2026〕矩阵$n号,价格,事实,依据,罚款,罚款1万元,2026-03-1$n,2027-12-31,营口市市场监督管理局,$unit_ag,营口市市场监督管理局,$unit_ag,一般"
	done
	echo "营口矩阵另一有限公司,法人及非法人组织,$unit_co2,营市监罚〔2026〕矩阵3号,价格,事实,依据,罚款,罚款1万元,2026-03-13,2027-12-31,营口市市场监督管理局,$unit_ag,营口市市场监督管理局,$unit_ag,一般"
} >"$T/unit-cf.csv"
"$XINYONG" import --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 "$T/unit-cf.csv" >/dev/null ||
	echo "not ok - matrix.d/unit.sh: import"
unit_rec=$(recid 营市监罚〔2026〕矩阵1号)
unit_case=$("$XINYONG" repair apply --record "$unit_rec" --subject $unit_co --reason 已纠正失信行为 \
	--evidence 缴款凭证 --commitment 今后守信 --date 2026-11-20 --format json | jq -r .id)
unit_check=$("$XINYONG" check $unit_co --unit 市审批局 --date 2026-11-01 --format json | jq -r .check_id)
unit_commitment=$("$XINYONG" commitment add --subject $unit_co --unit 市审批局 --type 主动型 \
	--date 2026-04-01 --format json | jq -r .id)
unit_unwatched=$unit_co2
unit_co3=91210802MA0XYUC032
"$XINYONG" list add --type 重点关注名单 --subject $unit_co3 --name 营口矩阵关注有限公司 --unit 发改委 \
	--doc 营发改关注〔2026〕矩阵1号 --from 2026-05-01 >/dev/null &&
	"$XINYONG" watch add --unit 市审批局 $unit_co3 >/dev/null &&
	"$XINYONG" list add --type 拖欠农民工工资失信联合惩戒对象名单 --subject $unit_co3 --unit 人社局 \
		--doc 营人社欠薪〔2026〕矩阵1号 --from 2026-06-01 --reason 拖欠农民工工资 >/dev/null &&
	"$XINYONG" watch remove --unit 市审批局 $unit_co3 >/dev/null ||
	echo "not ok - matrix.d/unit.sh: a notice"
unit_notice=$("$XINYONG" notices --unit 市审批局 --format json | jq '[.notices[].id] | max')
