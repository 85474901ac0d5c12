#!/bin/sh
# Regenerates the import fixtures used by tests/unit/test_import.c.  Every name,
# 统一社会信用代码, 身份证号 and 文书号 is made up (codes carry valid check characters
# unless a row is meant to be rejected).  Line numbers matter to the test: the
# header is line 1, so data row N is on line N+1.
set -eu
cd "$(dirname "$0")"

H='行政相对人名称,行政相对人类别,统一社会信用代码,证件类型,证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额(万元),处罚决定日期,处罚有效期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码,内部备忘'
C='违反产品质量管理规定,经查，当事人销售的商品标签不符合规定（示例）,《中华人民共和国产品质量法》第五十四条,罚款'
AG='营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P'

# 9 rows: 4 accepted (lines 2, 3, 4, 10), 5 rejected (lines 5-9).
{
	echo "$H"
	echo "营口沙岗印刷经销部（示例）,法人及非法人组织,91210803MADE2UMA8E,,,营市监罚〔2019〕101号,$C,罚款人民币1千元整,0.1,2019-07-20,2020-07-20,$AG,备忘一"
	echo "营口熊岳物流合作社（示例）,法人及非法人组织,91210802H59ED1Y524,,,营市监罚〔2019〕102号,$C,罚款人民币1万2千元整,\"1,234.50\",2019/10/4,2020-10-04,$AG,"
	echo "李洋静,自然人,,身份证,210804195604102130,营市监罚〔2019〕103号,$C,罚款人民币5千元整,.5,20190907,2020-09-07,$AG,"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N30,,,营市监罚〔2019〕104号,$C,罚款人民币3千元整,0.3,2019-08-20,2020-08-20,$AG,校验码错"
	echo "营口某某商行（示例）,法人及非法人组织,91210803MADE2UMA8E,,,,$C,罚款人民币3千元整,0.3,2019-08-21,2020-08-21,$AG,缺文书号"
	echo "营口沙岗印刷经销部（示例）,法人及非法人组织,91210803MADE2UMA8E,,,营市监罚〔2019〕101号,$C,罚款人民币9千元整,0.9,2019-07-21,2020-07-21,$AG,重复文书号"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N3N,,,营市监罚〔2019〕107号,$C,罚款人民币3千元整,0.3,2019-02-30,2020-02-28,$AG,日期不存在"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N3N,,,营市监罚〔2026〕108号,$C,罚款人民币3千元整,0.3,2026-11-27,2027-11-27,$AG,明天的决定"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N3N,,,营市监罚〔2026〕105号,$C,罚款人民币2千元整,0.2,2026-11-26,2027-11-26,$AG,今天的决定"
} >xzcf-utf8.csv

# The same unit a month later: 101 changed, 102 only in an ignored column,
# 103 and 105 unchanged, 106 new.
{
	echo "$H"
	echo "营口沙岗印刷经销部（示例）,法人及非法人组织,91210803MADE2UMA8E,,,营市监罚〔2019〕101号,$C,罚款人民币1千五百元整,0.15,2019-07-20,2020-07-20,$AG,备忘一"
	echo "营口熊岳物流合作社（示例）,法人及非法人组织,91210802H59ED1Y524,,,营市监罚〔2019〕102号,$C,罚款人民币1万2千元整,1234.5,2019-10-04,2020-10-04,$AG,改了备忘"
	echo "李洋静,自然人,,身份证,210804195604102130,营市监罚〔2019〕103号,$C,罚款人民币5千元整,0.5,2019-09-07,2020-09-07,$AG,"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N3N,,,营市监罚〔2026〕105号,$C,罚款人民币2千元整,0.2,2026-11-26,2027-11-26,$AG,今天的决定"
	echo "营口渤海化工经销部（示例）,法人及非法人组织,912108119KC5TK9N3N,,,营市监罚〔2019〕106号,$C,罚款人民币6千元整,0.6,2019-10-06,2020-10-06,$AG,"
} >xzcf-changed.csv

# GB18030 with CRLF, as office software exports it: 2 accepted, line 3 rejected
# (行政相对人类别 not in the list).
{
	printf '%s\r\n' "$H"
	printf '%s\r\n' "营口鲅鱼圈海鲜酒楼（示例）,法人及非法人组织,91210803MADE2UMA8E,,,鲅市监罚〔2019〕201号,$C,罚款人民币2千元整,0.2,2019-10-08,2020-10-08,$AG,"
	printf '%s\r\n' "营口鲅鱼圈海鲜酒楼（示例）,公司,91210803MADE2UMA8E,,,鲅市监罚〔2019〕202号,$C,罚款人民币2千元整,0.2,2019-10-09,2020-10-09,$AG,"
	printf '%s\r\n' "李洋静,自然人,,身份证,210804195604102130,鲅市监罚〔2019〕203号,$C,警告,,2019-10-10,2020-10-10,$AG,"
} | iconv -f UTF-8 -t GB18030 >xzcf-gb18030.csv

# A field named by two columns (its name and its code): the file is refused.
{
	echo "$H,CF_WSH"
	echo "营口沙岗印刷经销部（示例）,法人及非法人组织,91210803MADE2UMA8E,,,营市监罚〔2019〕301号,$C,罚款人民币1千元整,0.1,2019-07-20,2020-07-20,$AG,,营市监罚〔2019〕301号"
} >dup-header.csv

# 信用工作报道 (a count category) without a 编号 column: keys are content hashes.
{
	echo '标题,日期,数量,链接'
	echo '营口市召开社会信用体系建设推进会（示例）,2019-10-11,1,https://example.invalid/a'
	echo '站前区开展诚信宣传进社区活动（示例）,2019-10-18,3,'
	echo '营口日报刊发信用修复专题报道（示例）,2019-10-25,2,https://example.invalid/c'
} >xygzbd.csv
# ... and the same report a day later, the second row's 数量 corrected.
{
	echo '标题,日期,数量,链接'
	echo '营口市召开社会信用体系建设推进会（示例）,2019-10-11,1,https://example.invalid/a'
	echo '站前区开展诚信宣传进社区活动（示例）,2019-10-18,4,'
	echo '营口日报刊发信用修复专题报道（示例）,2019-10-25,2,https://example.invalid/c'
} >xygzbd-corrected.csv

# A JSON array (keys are field codes, amounts as numbers): elements 1
# and 2 accepted, element 3 rejected (a negative amount).
cat >xzcf.json <<'END'
[
  {"CF_XDR_MC": "营口老边果蔬合作社（示例）", "CF_XDR_LB": "法人及非法人组织",
   "CF_XDR_SHXYM": "91210802H59ED1Y524", "CF_WSH": "老市监罚〔2019〕401号",
   "CF_WFXW": "违反食品安全管理规定", "CF_SY": "经查属实（示例）", "CF_YJ": "《食品安全法》",
   "CF_CFLB": "罚款", "CF_NR": "罚款人民币3千元整", "CF_NR_FK": 0.3,
   "CF_JDRQ": "2019-10-12", "CF_YXQ": "2020-10-12",
   "CF_CFJG": "营口市市场监督管理局", "CF_CFJGDM": "11210800MAR7YF578P",
   "CF_SJLY": "营口市市场监督管理局", "CF_SJLYDM": "11210800MAR7YF578P"},
  {"CF_XDR_MC": "李洋静", "CF_XDR_LB": "自然人", "CF_XDR_ZJLX": "身份证",
   "CF_XDR_ZJHM": "210804195604102130", "CF_WSH": "老市监罚〔2019〕402号",
   "CF_WFXW": "违反食品安全管理规定", "CF_SY": "经查属实（示例）", "CF_YJ": "《食品安全法》",
   "CF_CFLB": "警告", "CF_NR": "警告", "CF_JDRQ": "2019-10-13", "CF_YXQ": "2020-10-13",
   "CF_CFJG": "营口市市场监督管理局", "CF_CFJGDM": "11210800MAR7YF578P",
   "CF_SJLY": "营口市市场监督管理局", "CF_SJLYDM": "11210800MAR7YF578P"},
  {"CF_XDR_MC": "营口老边果蔬合作社（示例）", "CF_XDR_LB": "法人及非法人组织",
   "CF_XDR_SHXYM": "91210802H59ED1Y524", "CF_WSH": "老市监罚〔2019〕403号",
   "CF_WFXW": "违反食品安全管理规定", "CF_SY": "经查属实（示例）", "CF_YJ": "《食品安全法》",
   "CF_CFLB": "罚款", "CF_NR": "罚款", "CF_NR_FK": -5,
   "CF_JDRQ": "2019-10-14", "CF_YXQ": "2020-10-14",
   "CF_CFJG": "营口市市场监督管理局", "CF_CFJGDM": "11210800MAR7YF578P",
   "CF_SJLY": "营口市市场监督管理局", "CF_SJLYDM": "11210800MAR7YF578P"}
]
END
