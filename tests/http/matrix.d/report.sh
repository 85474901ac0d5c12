# Fixture of the credit report rows of matrix.tsv (# report): a subject with
# one 行政处罚 and a report issued for it by the CLI (its number, code and PDF).
# Sourced by the matrix runner after the server and the tokens exist;
# generated names only.
rep_subject=91210802MA0XYQR010
{
	echo CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
	echo "营口矩阵报告有限公司,法人及非法人组织,$rep_subject,营市监罚〔2026〕71号,价格,事实,依据,警告,警告,2026-03-12,2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般"
} >"$T/rep-cf.csv"
"$XINYONG" import "$T/rep-cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04 \
	>/dev/null 2>&1
rep_pdf="$T/rep-matrix.pdf"
"$XINYONG" report credit "$rep_subject" -o "$rep_pdf" --format json >"$T/rep.json"
rep_number=$(jq -r .number "$T/rep.json")
rep_code=$(jq -r .code "$T/rep.json")
export rep_subject rep_pdf rep_number rep_code
