#!/bin/sh
# Regenerates the configuration sets used by tests/unit/test_registry.c and
# test_validate.c: ok/ is a small valid set; every other directory is ok/ with
# one defect, and test_registry.c expects XY_ERR_CONFIG naming its file and line.
# Each file starts with one comment line, so the header is line 2.
set -eu
cd "$(dirname "$0")"
T=$(printf '\t')

ok() { # $1 dir
	rm -rf "$1"
	mkdir -p "$1"
	cat >"$1/units.tsv" <<-END
	# units of the test configuration
	name${T}kind${T}division${T}sort
	测试局${T}department${T}${T}1
	站前区${T}county${T}210802${T}2
	END
	cat >"$1/categories.tsv" <<-END
	# categories of the test configuration
	code${T}name${T}kind${T}template${T}sort
	tcf${T}测试处罚${T}subject${T}${T}1
	tmd${T}测试名单${T}subject${T}@list${T}2
	tbd${T}测试报道${T}count${T}@count${T}3
	END
	cat >"$1/fields.tsv" <<-END
	# fields of the test configuration
	category${T}code${T}name${T}type${T}required${T}max_len${T}role${T}aliases
	测试处罚${T}CF_XDR_MC${T}行政相对人名称${T}text${T}是${T}200${T}subj_name${T}
	测试处罚${T}CF_XDR_SHXYM${T}统一社会信用代码${T}uscc${T}${T}18${T}subj_uscc${T}
	测试处罚${T}CF_WSH${T}行政处罚决定书文号${T}text${T}是${T}128${T}key${T}文书号
	测试处罚${T}CF_NR_FK${T}罚款金额（万元）${T}decimal${T}${T}0${T}${T}罚款金额
	@list${T}BH${T}编号${T}text${T}是${T}128${T}key${T}
	@list${T}XDR_MC${T}主体名称${T}text${T}是${T}200${T}subj_name${T}
	@count${T}BT${T}标题${T}text${T}是${T}500${T}${T}
	@count${T}RQ${T}日期${T}date${T}是${T}0${T}date${T}
	测试名单${T}MDMC${T}名单名称${T}text${T}${T}200${T}${T}
	END
	cat >"$1/uscc-exceptions.tsv" <<-END
	# a legal code whose check character is wrong (made up)
	code${T}note
	91210803MADE2UMA80${T}测试例外
	END
}

# replace line $3 of file $2 in set $1 by $4
setline() {
	awk -v n="$3" -v s="$4" 'NR == n { print s; next } { print }' "$1/$2" >"$1/$2.new"
	mv "$1/$2.new" "$1/$2"
}
# insert $4 as line $3 of file $2 in set $1
insline() {
	awk -v n="$3" -v s="$4" 'NR == n { print s } { print } END { if (NR < n) print s }' \
		"$1/$2" >"$1/$2.new"
	mv "$1/$2.new" "$1/$2"
}

ok ok

ok unknown-type
setline unknown-type fields.tsv 6 "测试处罚${T}CF_NR_FK${T}罚款金额（万元）${T}money${T}${T}0${T}${T}"

ok duplicate-unit
insline duplicate-unit units.tsv 5 "测试局${T}park${T}${T}3"

ok missing-header-column   # fields.tsv without its max_len column
setline missing-header-column fields.tsv 2 "category${T}code${T}name${T}type${T}required${T}role${T}aliases"

ok two-key-fields          # a category's own fields name two keys
insline two-key-fields fields.tsv 7 "测试处罚${T}CF_AJH${T}案件号${T}text${T}${T}64${T}key${T}"

ok two-key-template        # the template has a key and the category adds another
insline two-key-template fields.tsv 12 "测试名单${T}MDBH${T}名单编号${T}text${T}${T}64${T}key${T}"

ok unknown-template
setline unknown-template categories.tsv 4 "tmd${T}测试名单${T}subject${T}@nosuch${T}2"

ok unknown-category
insline unknown-category fields.tsv 8 "不存在类别${T}X${T}某字段${T}text${T}${T}0${T}${T}"

ok bad-division
setline bad-division units.tsv 4 "站前区${T}county${T}21080${T}2"

ok unknown-unit-kind
setline unknown-unit-kind units.tsv 3 "测试局${T}ministry${T}${T}1"

ok bad-max-len
setline bad-max-len fields.tsv 3 "测试处罚${T}CF_XDR_MC${T}行政相对人名称${T}text${T}是${T}二百${T}subj_name${T}"

ok unknown-role
setline unknown-role fields.tsv 4 "测试处罚${T}CF_XDR_SHXYM${T}统一社会信用代码${T}uscc${T}${T}18${T}subj_code${T}"

ok duplicate-field
insline duplicate-field fields.tsv 7 "测试处罚${T}CF_WSH${T}文书号${T}text${T}${T}64${T}${T}"

ok duplicate-category
insline duplicate-category categories.tsv 6 "tcf2${T}测试处罚${T}count${T}@count${T}4"

ok no-subject-name         # a subject category whose fields have no subj_name
setline no-subject-name fields.tsv 3 "测试处罚${T}CF_XDR_MC${T}行政相对人名称${T}text${T}是${T}200${T}${T}"

ok short-exception
setline short-exception uscc-exceptions.tsv 3 "91210803MADE2UMA8${T}少一位"
