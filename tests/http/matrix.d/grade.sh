# Fixture of the grading rows of matrix.tsv (# grade): a subject with one
# 行政处罚, then a grading run by the CLI with the default model (its run
# number).  Sourced by the matrix runner after the server and the tokens
# exist; generated names only.
grade_subject=91210802MA0XYQG01W
{
	echo CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
	echo "营口矩阵评价有限公司,法人及非法人组织,$grade_subject,营市监罚〔2026〕81号,价格,事实,依据,警告,警告,2026-03-12,2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般"
} >"$T/grade-cf.csv"
"$XINYONG" import "$T/grade-cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04 \
	>/dev/null 2>&1
grade_run=$("$XINYONG" grade run --format json 2>/dev/null | jq -r .run)
export grade_subject grade_run
