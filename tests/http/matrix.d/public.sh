# Fixtures of the public rows of matrix.tsv (sourced by the matrix runner
# after the server and tokens exist): one 行政许可 record decided in the range
# the rows ask for, a black-list entry, and the names the paths use.
pub_from=2026-03-01
pub_to=2026-03-31
pub_list=失信被执行人名单
pub_watch=重点关注名单
pub_doc=营发改信用〔2019〕266号
pub_nodoc=无此文号
pub_q=矩阵公示
pub_co=91210802MA0XYQD045
{
	echo "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_WSH,XK_XKLB,XK_JDRQ,XK_XKJG"
	echo "营口矩阵公示有限公司,法人及非法人组织,$pub_co,营审批〔2026〕901号,普通,2026-03-15,营口市行政审批局"
} >"$T/pub-xk.csv"
"$XINYONG" import "$T/pub-xk.csv" --unit 市审批局 --category 行政许可 --reported-on 2026-04 \
	>/dev/null 2>&1 || echo "not ok - matrix.d/public.sh: import"
"$XINYONG" list add --type "$pub_list" --subject "$pub_co" --unit 中级法院 \
	--doc '（2026）辽08执901号' --from 2026-03-20 >/dev/null 2>&1 ||
	echo "not ok - matrix.d/public.sh: list add"
