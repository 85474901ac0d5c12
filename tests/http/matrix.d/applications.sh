# Fixture of the online applications' rows of matrix.tsv (# applications):
# two public 行政处罚 records of 市场监管局, a repair application filed on the
# first through the CLI with a PDF attachment (its receipt, secret and case,
# routed to unit sc), and the second's id for the POST row (an objection: the
# first role files it, the others find it open, 409).  Generated names only.
# Sets: app_receipt app_secret app_case app_rec2
app_co=91210802MA0XYAP01F
app_ag=11210800MAR7YF578P
{
	echo CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
	for n in 1 2; do
		echo "营口矩阵申请有限公司,法人及非法人组织,$app_co,营市监罚〔2026〕申请$n号,价格,事实,依据,罚款,罚款1万元,2026-03-1$n,2027-12-31,营口市市场监督管理局,$app_ag,营口市市场监督管理局,$app_ag,一般"
	done
} >"$T/app-cf.csv"
"$XINYONG" import --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 "$T/app-cf.csv" >/dev/null ||
	echo "not ok - matrix.d/applications.sh: import"
app_rec1=$(recid 营市监罚〔2026〕申请1号)
app_rec2=$(recid 营市监罚〔2026〕申请2号)
printf '%%PDF-1.4\n%% matrix fixture\n' >"$T/app-matrix.pdf"
"$XINYONG" application submit --kind repair --record "$app_rec1" --subject $app_co \
	--applicant 示例申请人 --contact 0417-7654321 --reason 已缴纳罚款 --commitment 今后守信 \
	--attach "$T/app-matrix.pdf" --format json >"$T/app.json" ||
	echo "not ok - matrix.d/applications.sh: application submit"
app_receipt=$(jq -r .receipt "$T/app.json")
app_secret=$(jq -r .secret "$T/app.json")
app_case=$(case_of "$app_receipt")
export app_receipt app_secret app_case app_rec2
