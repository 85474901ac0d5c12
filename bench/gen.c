/* xy-gen: write a synthetic 行政处罚 (administrative penalty) CSV for
 * benchmarks and load tests.
 *
 *   xy-gen [--rows N] [--seed S] [--subjects M] [--encoding utf-8|gb18030]
 *          [--since YYYY-MM-DD] [-o FILE]
 *
 * ALL DATA IS SYNTHETIC.  Names are assembled from syllable lists, codes are
 * made up (only their check characters are real), and the facts are phrase
 * soup; any resemblance to a real subject is a coincidence.
 *
 * Subjects: M (default N/5) distinct ones, 90% legal persons (USCC category
 * 91 企业 or 92 个体工商户, divisions of Yingkou), 10% natural persons (a RIC,
 * born 1950-2000).  The first M rows use each subject once, later rows pick
 * subjects at random, so a file has exactly min(N, M) distinct subjects.
 * Names, USCCs and RICs come from bijections of the subject number, so they
 * are unique; 文书号 are numbered by row.  Decision dates are uniform from
 * --since (default 2019-01-01) to 2019-10-31: an earlier start spreads them
 * inside and outside the windows of credit grading (bench/grade.sh).  The output depends only on the
 * arguments (own PRNG), not on the platform or the clock.
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/date.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: splitmix64 to seed, xorshift64* to run ------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	rng_state = (z ^ (z >> 31)) | 1;
}

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n); the modulo bias is irrelevant here. */
static uint64_t rng_below(uint64_t n)
{
	return (rng_next() >> 11) % n;
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rng_below(n)];
}
#define PICK(list) pick((list), COUNT(list))

/* ---- word lists ---------------------------------------------------------- */

static const char *const divisions[] = {
	"210802", "210803", "210804", "210811", "210881", "210882",
};
static const char *const district_names[] = {
	"站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市",
};

/* 60 syllables for 字号, 20 industries, 20 shop types: sizes are part of
 * the subject-number bijection below. */
static const char *const syllables[60] = {
	"华", "鑫", "盛", "达", "兴", "隆", "源", "恒", "泰", "丰",
	"瑞", "祥", "宏", "昌", "福", "顺", "鼎", "诚", "信", "益",
	"佳", "和", "金", "海", "辽", "港", "营", "滨", "东", "北",
	"新", "天", "久", "远", "博", "通", "嘉", "利", "永", "安",
	"德", "正", "广", "中", "美", "康", "宇", "旭", "龙", "凯",
	"润", "聚", "汇", "骏", "航", "峰", "晟", "禾", "君", "明",
};
static const char *const industries[20] = {
	"商贸", "贸易", "食品", "建材", "餐饮管理", "物流", "机械制造", "水产",
	"农资", "汽车服务", "装饰工程", "电子科技", "医药", "化工", "服装",
	"酒店管理", "物业管理", "广告传媒", "网络科技", "房地产开发",
};
static const char *const shop_types[20] = {
	"便利店", "饭店", "五金商店", "水果店", "烧烤店", "理发店", "汽车修理部",
	"粮油店", "服装店", "建材商店", "海鲜批发部", "烟酒商行", "小吃部",
	"家电维修部", "干洗店", "日杂商店", "茶叶店", "蔬菜店", "面馆", "诊所",
};
static const char *const company_forms[] = { "有限公司", "有限责任公司" };

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
	"徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
	"梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
	"程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
	"苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
	"刚", "桂", "英", "华", "文", "辉", "鹏", "玉", "红", "建",
	"国", "志", "春", "海", "晓", "宁", "波", "斌", "宇", "浩",
	"凤", "琳", "雪", "梅", "林", "成", "东", "兰", "丹", "峰",
};

/* 违法行为类型 with the law it breaks, the penalty clause (处罚依据) and
 * what the offender did. */
static const struct offence {
	const char *type;
	const char *law;
	const char *basis;
	const char *acts[3];
} offences[] = {
	{ "销售不合格产品", "《中华人民共和国产品质量法》", "第四十九条",
	  { "在其经营场所销售经抽样检验判定为不合格的产品",
	    "销售的电线电缆经监督抽查检验不合格",
	    "销售质量不合格的儿童服装" } },
	{ "虚假宣传", "《中华人民共和国反不正当竞争法》", "第二十条",
	  { "在其微信公众号中对商品的功能作虚假的商业宣传",
	    "通过宣传单对其销售的保健产品作引人误解的宣传",
	    "在店堂广告中虚构商品的销售状况和用户评价" } },
	{ "经营超过保质期的食品", "《中华人民共和国食品安全法》", "第一百二十四条",
	  { "在其经营场所货架上摆放销售超过保质期的预包装食品",
	    "销售超过保质期的乳制品",
	    "将超过保质期的食品与正常食品混放销售" } },
	{ "未建立食品进货查验记录", "《中华人民共和国食品安全法》", "第一百二十六条",
	  { "未按规定建立并遵守食品进货查验记录制度",
	    "采购食品时未查验供货者的许可证和食品出厂检验合格证明",
	    "未如实记录所购进食品的名称、数量和进货日期" } },
	{ "无照经营", "《无证无照经营查处办法》", "第十三条",
	  { "未依法取得营业执照从事经营活动",
	    "在营业执照被吊销后仍继续从事经营活动",
	    "超出登记的经营场所从事经营活动" } },
	{ "不执行明码标价", "《价格违法行为行政处罚规定》", "第十三条",
	  { "销售商品未按规定明码标价",
	    "在标价之外加价出售商品",
	    "收取未予标明的费用" } },
	{ "商标侵权", "《中华人民共和国商标法》", "第六十条",
	  { "销售侵犯注册商标专用权的商品",
	    "在同一种商品上使用与他人注册商标近似的商标",
	    "擅自制造他人注册商标标识" } },
	{ "使用不合格计量器具", "《中华人民共和国计量法实施细则》", "第四十三条",
	  { "在经营活动中使用未经检定的电子计价秤",
	    "使用超过检定周期的计量器具进行贸易结算",
	    "使用经检定不合格的加油机进行贸易结算" } },
	{ "发布违法广告", "《中华人民共和国广告法》", "第五十五条",
	  { "发布含有虚假内容的广告",
	    "在户外广告中使用国家级、最高级、最佳等用语",
	    "发布的医疗器械广告含有表示功效、安全性的断言或者保证" } },
};

static const char *const openers[] = {
	"经查，当事人",
	"经现场检查发现，当事人",
	"根据群众举报，经调查核实，当事人",
	"执法人员在日常监督检查中发现，当事人",
	"经立案调查，当事人",
};

/* Fact details; "%u" is a number of 元. */
static const char *const details[] = {
	"涉案货值金额共计人民币%u元",
	"违法所得人民币%u元",
	"涉案产品已全部售出",
	"当事人对上述事实无异议",
	"有现场检查笔录、询问笔录和抽样检验报告等证据为证",
	"当事人未能提供进货票据和供货方资质证明",
	"经责令改正后逾期仍未改正",
	"执法人员当场扣押涉案商品%u件",
	"当事人积极配合调查并主动消除违法行为危害后果",
};

/* 处罚类别 with a weight in percent. */
static const struct { const char *name; unsigned weight; } penalty_kinds[] = {
	{ "罚款", 55 },
	{ "警告", 20 },
	{ "没收违法所得", 15 },
	{ "责令停产停业", 5 },
	{ "暂扣或者吊销许可证", 5 },
};

static const char *const header =
	"行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,证件类型,"
	"证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,"
	"处罚内容,罚款金额（万元）,处罚决定日期,处罚有效期,公示截止期,处罚机关,"
	"处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码\n";

static const char authority_name[] = "营口市市场监督管理局";

/* ---- output buffer ------------------------------------------------------- */

#define OUT_CAP (4u << 20)
#define ROW_MAX 4096 /* far above the longest row */

static struct out {
	FILE *fp;
	char *buf;
	size_t len;
	iconv_t cd;    /* (iconv_t)-1 for UTF-8 output */
	char *conv;    /* GB18030 conversion buffer */
	int failed;
} out;

static void out_flush(void)
{
	if (out.len == 0 || out.failed)
		return;
	if (out.cd == (iconv_t)-1) {
		if (fwrite(out.buf, 1, out.len, out.fp) != out.len)
			out.failed = errno ? errno : EIO;
	} else {
		/* Flushes happen between rows, so no character is split. */
		char *in = out.buf, *dst;
		size_t inleft = out.len, dstleft;
		while (inleft > 0) {
			dst = out.conv;
			dstleft = 2 * OUT_CAP;
			if (iconv(out.cd, &in, &inleft, &dst, &dstleft) == (size_t)-1 &&
			    errno != E2BIG) {
				out.failed = errno;
				break;
			}
			if (fwrite(out.conv, 1, (size_t)(dst - out.conv), out.fp) !=
			    (size_t)(dst - out.conv)) {
				out.failed = errno ? errno : EIO;
				break;
			}
		}
	}
	out.len = 0;
}

static void put(const char *s, size_t n)
{
	memcpy(out.buf + out.len, s, n);
	out.len += n;
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* A CSV field followed by sep; quoted only when it has to be. */
static void field(const char *s, char sep)
{
	size_t n = strlen(s);
	if (strpbrk(s, ",\"\r\n")) {
		out.buf[out.len++] = '"';
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '"')
				out.buf[out.len++] = '"';
			out.buf[out.len++] = s[i];
		}
		out.buf[out.len++] = '"';
	} else {
		put(s, n);
	}
	out.buf[out.len++] = sep;
}

/* ---- subjects ------------------------------------------------------------ */

typedef struct subject {
	bool natural;
	bool individual;     /* 个体工商户 (USCC category 92) */
	char name[96];
	char uscc[19];
	char rep[16];        /* 法定代表人 / 经营者 */
	char ric[19];
} subject;

/* A permutation of [0, n) for n <= 2^bits: an invertible mix of `bits`-bit
 * numbers (odd multiplications and xor-shifts), walked until it lands below
 * n.  Turns subject numbers into unique but unordered-looking codes. */
static uint64_t permute(uint64_t i, unsigned bits, uint64_t n, uint64_t salt)
{
	const uint64_t mask = (1ull << bits) - 1;
	uint64_t x = i;
	do {
		x = (x ^ salt) & mask;
		x = (x * 0x9E3779B97F4A7C15ULL) & mask;
		x ^= x >> (bits / 2);
		x = (x * 0xBF58476D1CE4E5B9ULL) & mask;
		x ^= x >> (bits / 3);
	} while (x >= n);
	return x;
}

#define NAME_SPACE (6u * 20u * 60u * 60u * 60u)
#define USCC_SPACE (31ull * 31 * 31 * 31 * 31 * 31)
#define RIC_DAYS 18628u /* 1950-01-01 .. 2000-12-31 */
#define RIC_SPACE (6ull * RIC_DAYS * 1000)

static size_t append(char *dst, size_t at, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (at + n >= cap)
		n = at < cap - 1 ? cap - 1 - at : 0;
	memcpy(dst + at, s, n);
	dst[at + n] = '\0';
	return at + n;
}

static void person_name(char *dst, size_t cap)
{
	size_t n = append(dst, 0, cap, PICK(surnames));
	n = append(dst, n, cap, PICK(given));
	if (rng_below(3) != 0)
		append(dst, n, cap, PICK(given));
}

static void make_legal(subject *s, uint64_t i)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	uint64_t k = permute(i, 25, NAME_SPACE, 0x5A17);
	unsigned d = (unsigned)(k % 6), t = (unsigned)(k / 6 % 20);
	uint64_t syl = k / 120;
	char prefix[18], body[9];
	size_t n = 0;

	s->natural = false;
	s->individual = rng_below(100) < 30;
	if (s->individual) {
		n = append(s->name, n, sizeof s->name, "营口市");
		n = append(s->name, n, sizeof s->name, district_names[d]);
	} else {
		n = append(s->name, n, sizeof s->name, "营口");
	}
	for (int j = 0; j < 3; j++, syl /= 60)
		n = append(s->name, n, sizeof s->name, syllables[syl % 60]);
	if (s->individual) {
		append(s->name, n, sizeof s->name, shop_types[t]);
	} else {
		n = append(s->name, n, sizeof s->name, industries[t]);
		append(s->name, n, sizeof s->name, PICK(company_forms));
	}

	/* Body: "MA" + 6 characters of a scrambled number + its GB 11714 check
	 * character, the shape of codes issued since 2015. */
	k = permute(i, 30, USCC_SPACE, 0x3C5A);
	memcpy(body, "MA", 2);
	for (int j = 7; j >= 2; j--, k /= 31)
		body[j] = alphabet[k % 31];
	body[8] = '\0';
	memcpy(prefix, s->individual ? "92" : "91", 2);
	memcpy(prefix + 2, divisions[d], 6);
	memcpy(prefix + 8, body, 8);
	prefix[16] = xy_org_check_char(body);
	prefix[17] = '\0';
	memcpy(s->uscc, prefix, 17);
	s->uscc[17] = xy_uscc_check_char(prefix);
	s->uscc[18] = '\0';
	person_name(s->rep, sizeof s->rep);
	s->ric[0] = '\0';
}

static void make_natural(subject *s, uint64_t i)
{
	uint64_t k = permute(i, 27, RIC_SPACE, 0x1D2B);
	long day = xy_date_days(1950, 1, 1) + (long)(k % RIC_DAYS);
	unsigned d = (unsigned)(k / RIC_DAYS % 6), seq = (unsigned)(k / RIC_DAYS / 6);
	int y, m, dd;
	char first17[18];

	xy_date_from_days(day, &y, &m, &dd);
	snprintf(first17, sizeof first17, "%s%04d%02d%02d%03u", divisions[d], y, m, dd, seq);
	memcpy(s->ric, first17, 17);
	s->ric[17] = xy_ric_check_char(first17);
	s->ric[18] = '\0';
	s->natural = true;
	s->individual = false;
	person_name(s->name, sizeof s->name);
	s->uscc[0] = '\0';
	s->rep[0] = '\0';
}

/* ---- rows ---------------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* 违法事实: opener + act + details + closing, 30-120 characters. */
static void make_fact(const struct offence *o, char *dst, size_t cap)
{
	char closing[160], piece[160];
	size_t target = 30 + (size_t)rng_below(91), n, chars, closing_chars;
	unsigned used = 0;

	snprintf(closing, sizeof closing, "，其行为违反了%s的有关规定。", o->law);
	closing_chars = utf8_chars(closing);
	n = append(dst, 0, cap, PICK(openers));
	n = append(dst, n, cap, o->acts[rng_below(3)]);
	chars = utf8_chars(dst);
	for (int tries = 0; tries < 8 && chars + closing_chars < target; tries++) {
		unsigned j = (unsigned)rng_below(COUNT(details));
		size_t pc;
		if (used & 1u << j)
			continue;
		piece[0] = '\xef'; /* "，" */
		piece[1] = '\xbc';
		piece[2] = '\x8c';
		snprintf(piece + 3, sizeof piece - 3, details[j],
			 (unsigned)(100 + rng_below(50000)));
		pc = utf8_chars(piece);
		if (chars + pc + closing_chars > 120)
			continue;
		n = append(dst, n, cap, piece);
		chars += pc;
		used |= 1u << j;
	}
	append(dst, n, cap, closing);
}

static const char *pick_penalty(void)
{
	unsigned r = (unsigned)rng_below(100), acc = 0;
	for (size_t i = 0; i < COUNT(penalty_kinds); i++) {
		acc += penalty_kinds[i].weight;
		if (r < acc)
			return penalty_kinds[i].name;
	}
	return penalty_kinds[0].name;
}

/* Decision dates: first_day + [0, span) days, ending 2019-10-31. */
static long first_day, span;

static void write_row(const subject *s, uint64_t row, const char *auth_uscc)
{
	const struct offence *o = &offences[rng_below(COUNT(offences))];
	const char *kind = pick_penalty();
	char fact[512], basis[160], content[160], amount[32], docno[64];
	char date[32], until[32]; /* room for any int, to keep -Wformat-truncation quiet */
	long day = first_day + (long)rng_below((uint64_t)span);
	int y, m, d;

	xy_date_from_days(day, &y, &m, &d);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	/* a year later; 29 February to 28 February (--since reaches leap years) */
	snprintf(until, sizeof until, "%04d-%02d-%02d", y + 1, m,
		 xy_date_valid(y + 1, m, d) ? d : 28);
	snprintf(docno, sizeof docno, "营市监罚〔2019〕第%06llu号",
		 (unsigned long long)row + 1);
	make_fact(o, fact, sizeof fact);
	snprintf(basis, sizeof basis, "依据%s%s", o->law, o->basis);

	amount[0] = '\0';
	if (strcmp(kind, "罚款") == 0) {
		/* 0.05-50 万元 with 2, 3 or 4 decimals; 1 unit = 0.0001 万元 = 1 元. */
		static const unsigned step[] = { 100, 10, 1 };
		unsigned decimals = 2 + (unsigned)rng_below(3);
		unsigned long units = 500 + (unsigned long)rng_below(500000 - 500 + 1);
		units -= units % step[decimals - 2];
		snprintf(amount, sizeof amount, "%lu.%0*lu", units / 10000, (int)decimals,
			 units % 10000 / step[decimals - 2]);
		snprintf(content, sizeof content, "罚款人民币%lu元", units);
	} else if (strcmp(kind, "警告") == 0) {
		snprintf(content, sizeof content, "给予警告的行政处罚");
	} else if (strcmp(kind, "没收违法所得") == 0) {
		snprintf(content, sizeof content, "没收违法所得人民币%u元",
			 (unsigned)(100 + rng_below(20000)));
	} else if (strcmp(kind, "责令停产停业") == 0) {
		snprintf(content, sizeof content, "责令停业整顿%u日",
			 (unsigned)(5 + rng_below(26)));
	} else {
		snprintf(content, sizeof content, "吊销%s", s->individual || s->natural ?
			 "《食品经营许可证》" : "《工业产品生产许可证》");
	}

	field(s->name, ',');
	field(s->natural ? "自然人" : s->individual ? "个体工商户" : "法人及非法人组织", ',');
	field(s->uscc, ',');
	field(s->rep, ',');
	field(s->natural ? "身份证" : "", ',');
	field(s->ric, ',');
	field(docno, ',');
	field(o->type, ',');
	field(fact, ',');
	field(basis, ',');
	field(kind, ',');
	field(content, ',');
	field(amount, ',');
	field(date, ',');
	field(until, ',');
	field(until, ',');
	field(authority_name, ',');
	field(auth_uscc, ',');
	field(authority_name, ',');
	field(auth_uscc, '\n');
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *fp)
{
	fputs("usage: xy-gen [--rows N] [--seed S] [--subjects M]\n"
	      "              [--encoding utf-8|gb18030] [--since YYYY-MM-DD] [-o FILE]\n"
	      "Write N synthetic 行政处罚 rows (default 1000) as CSV to FILE or stdout.\n"
	      "M defaults to N/5; decisions fall between --since (default 2019-01-01)\n"
	      "and 2019-10-31; the same arguments always give the same file.\n", fp);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;
	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rows", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "subjects", required_argument, NULL, 'm' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t rows = 1000, seed = 1, nsubj = 0;
	const char *path = NULL, *encoding = "utf-8";
	char auth_uscc[19], prefix[18];
	subject *subjects;
	int c, rc = 0;

	first_day = xy_date_days(2019, 1, 1);
	while ((c = getopt_long(argc, argv, "n:s:m:e:o:S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!parse_u64(optarg, &rows))
				goto bad;
			break;
		case 's':
			if (!parse_u64(optarg, &seed))
				goto bad;
			break;
		case 'm':
			if (!parse_u64(optarg, &nsubj) || nsubj == 0)
				goto bad;
			break;
		case 'e':
			encoding = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		case 'S': {
			int y, mo, d;
			char tail;
			if (sscanf(optarg, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 ||
			    !xy_date_valid(y, mo, d) || xy_date_days(y, mo, d) > xy_date_days(2019, 10, 31)) {
				fprintf(stderr, "xy-gen: --since '%s' is not a date up to 2019-10-31\n",
					optarg);
				return 2;
			}
			first_day = xy_date_days(y, mo, d);
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xy-gen: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	span = xy_date_days(2019, 10, 31) - first_day + 1;
	if (nsubj == 0)
		nsubj = rows / 5 ? rows / 5 : 1;
	if (nsubj > NAME_SPACE) {
		fprintf(stderr, "xy-gen: at most %u subjects\n", NAME_SPACE);
		return 2;
	}

	out.cd = (iconv_t)-1;
	if (strcmp(encoding, "gb18030") == 0 || strcmp(encoding, "GB18030") == 0) {
		out.cd = iconv_open("GB18030", "UTF-8");
		if (out.cd == (iconv_t)-1) {
			perror("xy-gen: iconv_open GB18030");
			return 1;
		}
	} else if (strcmp(encoding, "utf-8") != 0 && strcmp(encoding, "UTF-8") != 0) {
		fprintf(stderr, "xy-gen: unknown encoding '%s' (utf-8 or gb18030)\n", encoding);
		return 2;
	}

	out.buf = malloc(OUT_CAP);
	out.conv = out.cd == (iconv_t)-1 ? NULL : malloc(2 * OUT_CAP);
	subjects = calloc((size_t)nsubj, sizeof *subjects);
	if (!out.buf || !subjects || (out.cd != (iconv_t)-1 && !out.conv)) {
		fputs("xy-gen: out of memory\n", stderr);
		return 1;
	}
	out.fp = path ? fopen(path, "wb") : stdout;
	if (!out.fp) {
		fprintf(stderr, "xy-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}

	/* The authority: an organ (category 11) of division 210800; the body
	 * is made up but carries a correct organisation-code check. */
	memcpy(prefix, "11210800", 8);
	memcpy(prefix + 8, "00124510", 8);
	prefix[16] = xy_org_check_char("00124510");
	prefix[17] = '\0';
	memcpy(auth_uscc, prefix, 17);
	auth_uscc[17] = xy_uscc_check_char(prefix);
	auth_uscc[18] = '\0';

	rng_seed(seed);
	for (uint64_t i = 0; i < nsubj; i++) {
		if (rng_below(10) == 0)
			make_natural(&subjects[i], i);
		else
			make_legal(&subjects[i], i);
	}

	puts_(header);
	for (uint64_t r = 0; r < rows && !out.failed; r++) {
		uint64_t si = r < nsubj ? r : rng_below(nsubj);
		if (out.len + ROW_MAX > OUT_CAP)
			out_flush();
		write_row(&subjects[si], r, auth_uscc);
	}
	out_flush();

	if (out.failed) {
		fprintf(stderr, "xy-gen: write failed: %s\n", strerror(out.failed));
		rc = 1;
	}
	if (path ? fclose(out.fp) != 0 : fflush(out.fp) != 0) {
		if (!rc)
			fprintf(stderr, "xy-gen: write failed: %s\n", strerror(errno));
		rc = 1;
	}
	if (out.cd != (iconv_t)-1)
		iconv_close(out.cd);
	free(out.conv);
	free(out.buf);
	free(subjects);
	return rc;
bad:
	fprintf(stderr, "xy-gen: invalid number '%s' for --%s\n", optarg,
		c == 'n' ? "rows" : c == 's' ? "seed" : "subjects");
	return 2;
}
