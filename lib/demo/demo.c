/* xinyong demo: synthetic records that reproduce the seed bulletin's tables.
 *
 * ALL DATA IS SYNTHETIC.  Names are assembled from syllable lists and carry
 * （示例）; codes are invented (only their check characters are real); facts
 * are phrase soup.  Any resemblance to a real subject is a coincidence.
 *
 * For every cell of demo-counts.tsv (unit × category × count) the records are
 * spread over 2019-01..2019-10 (xy_demo_split), and each month's share is
 * written as a CSV file the way a unit would send it (UTF-8 or GB18030,
 * headers by Chinese name or by field code) and imported with
 * xy_import_file, reported_on = that month.  The field values follow the
 * category's field definitions from the registry, so a changed configuration
 * still gets well-formed rows.
 *
 * Subjects come from three pools addressed by number (legal persons and
 * individual businesses, natural persons, government bodies).  A subject's
 * name and code are functions of (seed, number): codes come from bijections of
 * the number, so they are unique and a code always carries the same name.
 * A quarter of the picks go to a small "hot" part of each pool, so many
 * subjects appear under several units and categories.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/buf.h"
#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/demo.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- deterministic randomness ------------------------------------------ */

static uint64_t mix(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	h ^= 0xCBF29CE484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
	return mix(h);
}

typedef struct rng {
	uint64_t s;
} rng;

static void rng_init(rng *r, uint64_t seed)
{
	r->s = mix(seed) | 1;
}

static uint64_t rng_next(rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n); the modulo bias is irrelevant here. */
static long below(rng *r, long n)
{
	return n > 0 ? (long)((rng_next(r) >> 11) % (uint64_t)n) : 0;
}

static bool chance(rng *r, int percent)
{
	return below(r, 100) < percent;
}

#define PICK(r, list) ((list)[below((r), (long)COUNT(list))])

/* ---- month split -------------------------------------------------------- */

void xy_demo_split(uint64_t seed, const char *unit, const char *category, long n,
		   long out[XY_DEMO_MONTHS])
{
	rng r;
	int idx[XY_DEMO_MONTHS], k;
	long w[XY_DEMO_MONTHS], wsum = 0, rest, given = 0;

	memset(out, 0, XY_DEMO_MONTHS * sizeof *out);
	if (n <= 0)
		return;
	rng_init(&r, hash_str(hash_str(seed ^ 0x5911175ULL, unit), category));
	/* how many months the unit reported this category in */
	if (n >= 300)
		k = 8 + (int)below(&r, 3);
	else if (n >= 30)
		k = 4 + (int)below(&r, 7);
	else
		k = 1 + (int)below(&r, n < XY_DEMO_MONTHS ? n : XY_DEMO_MONTHS);
	for (int i = 0; i < XY_DEMO_MONTHS; i++)
		idx[i] = i;
	for (int i = 0; i < k; i++) { /* partial Fisher-Yates: which months */
		int j = i + (int)below(&r, XY_DEMO_MONTHS - i), t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	/* uneven weights: squares of 2..14, so one month may carry 50 times another */
	for (int i = 0; i < k; i++) {
		long a = 2 + below(&r, 13);
		w[i] = a * a;
		wsum += w[i];
	}
	rest = n - k; /* every chosen month has at least one record */
	for (int i = 0; i < k; i++) {
		long share = (long)((long long)rest * w[i] / wsum);
		out[idx[i]] = 1 + share;
		given += share;
	}
	for (int i = 0; given < rest; i = (i + 1) % k, given++)
		out[idx[i]]++;
}

/* ---- word lists --------------------------------------------------------- */

static const char *const divisions[6] = {
	"210802", "210803", "210804", "210811", "210881", "210882",
};
static const char *const district_names[6] = {
	"站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市",
};

static const char *const syllables[] = {
	"华", "鑫", "盛", "达", "兴", "隆", "源", "恒", "泰", "丰", "瑞", "祥",
	"宏", "昌", "福", "顺", "鼎", "诚", "信", "益", "佳", "和", "金", "海",
	"辽", "港", "营", "滨", "东", "北", "新", "天", "久", "远", "博", "通",
	"嘉", "利", "永", "安", "德", "正", "广", "中", "美", "康", "宇", "旭",
	"龙", "凯", "润", "聚", "汇", "骏", "航", "峰", "晟", "禾", "君", "明",
};
static const char *const industries[] = {
	"商贸", "贸易", "食品", "建材", "餐饮管理", "物流", "机械制造", "水产",
	"农资", "汽车服务", "装饰工程", "电子科技", "医药", "化工", "服装",
	"酒店管理", "物业管理", "广告传媒", "网络科技", "房地产开发", "建筑工程",
	"镁制品", "钢铁贸易", "港口服务", "海产品加工", "仓储",
};
static const char *const company_forms[] = { "有限公司", "有限责任公司", "股份有限公司" };
static const char *const shop_types[] = {
	"便利店", "饭店", "五金商店", "水果店", "烧烤店", "理发店", "汽车修理部",
	"粮油店", "服装店", "建材商店", "海鲜批发部", "烟酒商行", "小吃部",
	"家电维修部", "干洗店", "日杂商店", "茶叶店", "蔬菜店", "面馆", "药店",
};
static const char *const gov_bodies[] = {
	"人民政府办公室", "住房和城乡建设局", "教育局", "卫生健康局", "财政局",
	"城市管理综合行政执法局", "交通运输局", "农业农村局", "水利局", "民政局",
	"第一街道办事处", "第二街道办事处", "第三街道办事处", "中心镇人民政府",
	"工业园区管理委员会", "市场监督管理局", "自然资源分局", "文化旅游和广播电视局",
	"人力资源和社会保障局", "应急管理局",
};
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡",
	"朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐",
	"冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭",
	"吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "关", "佟",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
	"娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "文", "辉",
	"鹏", "玉", "红", "建", "国", "志", "春", "海", "晓", "宁", "波", "斌", "宇",
	"浩", "凤", "琳", "雪", "梅", "林", "成", "东", "兰", "丹", "峰",
};

/* who: 'L' legal persons only, 'P' natural persons only, 'B' both. */
typedef struct licence {
	const char *cert;  /* 许可证书名称 */
	const char *kind;  /* 许可类别 */
	const char *what;  /* 许可内容 */
	char who;
} licence;

static const licence licences[] = {
	{ "食品经营许可证", "普通", "预包装食品销售、散装食品销售、热食类食品制售", 'L' },
	{ "营业执照", "登记", "企业设立登记", 'L' },
	{ "建筑工程施工许可证", "普通", "建筑工程施工", 'L' },
	{ "道路运输经营许可证", "普通", "道路普通货物运输", 'L' },
	{ "排污许可证", "普通", "排放大气污染物、水污染物", 'L' },
	{ "药品经营许可证", "普通", "中成药、化学药制剂、抗生素制剂零售", 'L' },
	{ "公共场所卫生许可证", "普通", "住宿、美容美发场所", 'L' },
	{ "取水许可证", "特许", "地下水取水", 'L' },
	{ "烟草专卖零售许可证", "特许", "卷烟、雪茄烟零售", 'B' },
	{ "剧毒化学品购买许可证", "普通", "购买剧毒化学品", 'L' },
	{ "大型群众性活动安全许可", "普通", "举办大型群众性活动", 'L' },
	{ "医师执业证书", "认可", "临床类别执业注册", 'P' },
	{ "执业药师注册证", "认可", "执业药师注册", 'P' },
	{ "道路运输从业资格证", "认可", "经营性道路货物运输驾驶员", 'P' },
	{ "建造师注册证书", "认可", "二级建造师初始注册", 'P' },
	{ "导游证", "认可", "导游执业", 'P' },
};

/* 违法行为类型 with the law, the penalty clause and what the offender did. */
typedef struct offence {
	const char *type;
	const char *basis; /* 处罚依据 */
	const char *act;
	char who;
} offence;

static const offence market_offences[] = {
	{ "销售不合格产品", "《中华人民共和国产品质量法》第四十九条",
	  "在其经营场所销售经抽样检验判定为不合格的产品", 'B' },
	{ "虚假宣传", "《中华人民共和国反不正当竞争法》第二十条",
	  "通过宣传单对其销售的商品作引人误解的商业宣传", 'L' },
	{ "经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条",
	  "在其经营场所货架上摆放销售超过保质期的预包装食品", 'B' },
	{ "未建立食品进货查验记录", "《中华人民共和国食品安全法》第一百二十六条",
	  "未按规定建立并遵守食品进货查验记录制度", 'B' },
	{ "无照经营", "《无证无照经营查处办法》第十三条",
	  "未依法取得营业执照从事经营活动", 'P' },
	{ "不执行明码标价", "《价格违法行为行政处罚规定》第十三条",
	  "销售商品未按规定明码标价", 'B' },
	{ "商标侵权", "《中华人民共和国商标法》第六十条",
	  "销售侵犯注册商标专用权的商品", 'B' },
	{ "使用不合格计量器具", "《中华人民共和国计量法实施细则》第四十三条",
	  "在经营活动中使用未经检定的电子计价秤", 'B' },
	{ "发布违法广告", "《中华人民共和国广告法》第五十七条",
	  "在户外广告中使用国家级、最高级、最佳等用语", 'L' },
};
static const offence police_offences[] = {
	{ "殴打他人", "《中华人民共和国治安管理处罚法》第四十三条",
	  "因琐事与他人发生纠纷并殴打他人", 'P' },
	{ "参与赌博", "《中华人民共和国治安管理处罚法》第七十条",
	  "以营利为目的参与赌博，赌资较大", 'P' },
	{ "扰乱单位秩序", "《中华人民共和国治安管理处罚法》第二十三条",
	  "在办公场所无理取闹，致使工作不能正常进行", 'P' },
	{ "饮酒后驾驶机动车", "《中华人民共和国道路交通安全法》第九十一条",
	  "饮酒后驾驶小型汽车被查获", 'P' },
	{ "未按规定登记住宿旅客信息", "《中华人民共和国治安管理处罚法》第五十六条",
	  "经营旅馆未按规定登记住宿旅客的姓名、身份证件种类和号码", 'L' },
	{ "未落实治安防范措施", "《企业事业单位内部治安保卫条例》第十九条",
	  "未按规定落实内部治安保卫措施，经责令整改逾期未改", 'L' },
};
static const offence safety_offences[] = {
	{ "未进行安全生产教育培训", "《中华人民共和国安全生产法》第九十四条",
	  "未按规定对从业人员进行安全生产教育和培训", 'L' },
	{ "未如实记录隐患排查治理情况", "《中华人民共和国安全生产法》第九十四条",
	  "未如实记录安全生产事故隐患排查治理情况", 'L' },
	{ "危险物品储存不符合规定", "《危险化学品安全管理条例》第八十条",
	  "危险化学品专用仓库未设置明显标志", 'L' },
};

static const char *const openers[] = {
	"经查，当事人", "经现场检查发现，当事人", "根据群众举报，经调查核实，当事人",
	"执法人员在日常监督检查中发现，当事人", "经立案调查，当事人",
};
static const char *const closers[] = {
	"当事人对上述事实无异议。", "有现场检查笔录、询问笔录等证据为证。",
	"当事人积极配合调查并主动改正。", "经责令改正后逾期仍未改正。",
};

/* Content phrases per category code (NR of subject categories, BT of count
 * categories); unknown categories get a generic text. */
typedef struct phrases {
	const char *code;
	const char *unit; /* NULL: any unit */
	const char *text[4];
} phrases;

static const phrases contents[] = {
	{ "lhcjal", NULL, { "对失信被执行人依法采取限制高消费措施",
			    "限制失信被执行人担任企业法定代表人及高级管理人员",
			    "在招标投标活动中依法限制失信被执行人",
			    "限制失信被执行人乘坐飞机、列车软卧" } },
	{ "lhjlal", NULL, { "纳税信用A级纳税人享受办税绿色通道",
			    "守信主体在行政审批中享受容缺受理",
			    "守信企业在财政性资金项目安排中优先支持",
			    "守信企业在银行授信中享受优惠利率" } },
	{ "gjhmdfk", NULL, { "已对国家推送的失信联合惩戒对象落实惩戒措施并反馈",
			     "已在行政许可审查中核查国家黑名单并反馈结果",
			     "已在日常监管中对黑名单主体加大检查频次并反馈" } },
	{ "hmdtc", NULL, { "主体已办理注销登记，依规移出黑名单",
			   "主体营业执照已被吊销，依规移出黑名单" } },
	{ "dfhongmd", NULL, { "经认定列入守信红名单", "经评定为诚信示范单位",
			      "经评定为纳税信用A级纳税人" } },
	{ "dfheimd", NULL, { "经认定列入失信黑名单", "因拖欠农民工工资被列入黑名单",
			     "因严重违法失信行为被列入黑名单" } },
	{ "xyxfyt", NULL, { "已履行行政处罚决定，完成信用修复",
			    "约谈企业负责人，督促整改失信行为",
			    "参加信用修复专题培训并提交信用报告" } },
	{ "hyywxx", "人社局", { "社会保险参保登记", "养老保险缴费记录", "劳动用工备案",
				"失业保险待遇核定" } },
	{ "hyywxx", "社会保障中心", { "社会保险费缴纳记录", "医疗保险参保登记",
				      "工伤保险缴费记录" } },
	{ "hyywxx", "供电公司", { "电费按期缴纳记录", "用电报装", "电费欠缴记录" } },
	{ "hyywxx", "水务集团", { "水费按期缴纳记录", "用水报装", "水费欠缴记录" } },
	{ "hyywxx", "不动产登记中心", { "不动产权首次登记", "不动产抵押权登记",
					"不动产转移登记" } },
	{ "hyywxx", NULL, { "行业主管部门业务记录" } },
	{ "xyxx", NULL, { "企业基础信息", "资质认定信息", "表彰奖励信息", "荣誉信息" } },
	{ "zfsxwzl", NULL, { "政府机构未履行生效判决，列入失信被执行人",
			     "拖欠民营企业账款未清偿", "招商引资承诺未兑现" } },
	{ "xycns", NULL, { "主动签署信用承诺书，承诺依法诚信经营",
			   "签署告知承诺书，承诺所提交材料真实有效",
			   "签署行业自律承诺书" } },
	{ "lhjcal", NULL, { "对失信主体在行政许可中从严审核",
			    "对守信主体提供绿色通道、容缺受理",
			    "对失信主体限制参与政府采购" } },
	{ "ytsxqy", NULL, { "约谈失信企业法定代表人，告知失信后果并督促整改",
			    "约谈失信企业代表，指导开展信用修复" } },
	{ "hyxyjg", NULL, { "食品安全领域信用监管", "安全生产领域信用分级分类监管",
			    "建筑市场领域信用监管", "交通运输领域信用监管" } },
	{ "cxwlx", NULL, { "诚信建设万里行主题宣传活动", "诚信建设万里行典型案例报送" } },
	{ "xyjyy", NULL, { "信易贷", "信易租", "信易行", "信易批" } },
	{ "yshjqk", NULL, { "优化营商环境工作情况报送", "营商环境问题整改情况" } },
	{ "yshjjs", NULL, { "“一网通办”事项办理", "企业开办压缩时限",
			    "“最多跑一次”事项办理", "“证照分离”改革事项" } },
	{ "xygzbd", NULL, { "社会信用体系建设工作报道", "诚信典型宣传报道",
			    "联合奖惩工作报道" } },
	{ "sgsbs", NULL, { "“双公示”数据报送情况" } },
	{ "cxjyhd", NULL, { "诚信宣传进社区活动", "“诚信兴商宣传月”活动", "信用知识讲座" } },
	{ "wmbzxzl", NULL, { "诚信缺失突出问题专项治理" } },
	{ "hyjgsb", NULL, { "行业信用监管信息上报" } },
	{ "dybbqk", NULL, { "月度信用信息报表" } },
};

static const char *const list_names_red[] = {
	"守信激励对象名单", "诚信示范企业名单", "纳税信用A级纳税人名单",
};
static const char *const list_names_black[] = {
	"失信联合惩戒对象名单", "拖欠农民工工资失信联合惩戒对象名单",
	"严重违法失信企业名单", "重大税收违法案件当事人名单",
};
static const char *const media[] = { "营口日报", "营口新闻网", "信用营口网站", "辽宁日报" };

/* Percentage of a category's records that are about natural persons. */
static int person_share(const char *cat, const char *unit)
{
	static const struct {
		const char *cat, *unit;
		int pct;
	} t[] = {
		{ "xzcf", "公安局", 75 },     { "xzcf", "应急管理局", 0 },
		{ "xzcf", NULL, 10 },
		{ "xzxk", NULL, 15 },         { "lhcjal", NULL, 45 },
		{ "gjhmdfk", NULL, 20 },      { "dfheimd", NULL, 30 },
		{ "hyywxx", "人社局", 60 },   { "hyywxx", "社会保障中心", 70 },
		{ "hyywxx", NULL, 40 },       { "xyxx", NULL, 20 },
		{ "lhjcal", NULL, 20 },       { "lhjlal", NULL, 0 },
		{ "hmdtc", NULL, 0 },         { "dfhongmd", NULL, 0 },
		{ "xyxfyt", NULL, 0 },        { "xycns", NULL, 0 },
		{ "ytsxqy", NULL, 0 },        { "zfsxwzl", NULL, 0 },
	};
	for (size_t i = 0; i < COUNT(t); i++)
		if (strcmp(t[i].cat, cat) == 0 && (!t[i].unit || strcmp(t[i].unit, unit) == 0))
			return t[i].pct;
	return 10;
}

/* ---- subjects ------------------------------------------------------------ */

/* Pool sizes are multiples of 6: number i lives in division i % 6. */
#define LEGAL_POOL 48000
#define PERSON_POOL 60000
#define GOV_POOL ((long)(6 * COUNT(gov_bodies)))
#define HOT_POOL 1800
#define BODY_SPACE 100000000LL /* 8-digit organisation code bodies */

typedef enum skind { S_LEGAL, S_INDIVIDUAL, S_PERSON, S_GOV } skind;

typedef struct subject {
	skind kind;
	char name[256];
	char code[19]; /* USCC or RIC */
	char org[10];  /* organisation code of a legal person, "" otherwise */
	char rep[256]; /* 法定代表人 of a legal person */
	char rep_ric[19];
} subject;

typedef struct pools {
	uint64_t h;          /* hash of the seed */
	long long b_legal, b_gov; /* offsets of the code bijections */
	long long person_mult, person_off, person_space;
	long person_base_day; /* 1950-01-01 */
} pools;

static long long gcd(long long a, long long b)
{
	while (b) {
		long long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void pools_init(pools *p, uint64_t seed)
{
	p->h = mix(seed ^ 0xD3A0ULL);
	p->b_legal = (long long)(mix(p->h ^ 1) % BODY_SPACE);
	p->b_gov = (long long)(mix(p->h ^ 3) % BODY_SPACE);
	p->person_base_day = xy_date_days(1950, 1, 1);
	/* birth dates 1950-01-01..2000-12-31 × sequence numbers 000..999 */
	p->person_space = (xy_date_days(2001, 1, 1) - p->person_base_day) * 1000LL;
	p->person_off = (long long)(mix(p->h ^ 2) % (uint64_t)p->person_space);
	p->person_mult = (long long)(mix(p->h ^ 4) % (uint64_t)p->person_space) | 1;
	while (gcd(p->person_mult, p->person_space) != 1)
		p->person_mult += 2;
}

/* USCC from its first two characters, division and the number x of its
 * organisation code body; the body gets its own GB 11714 check character. */
static void make_uscc(const char *head, const char *division, long long x, char out[19],
		      char org[10])
{
	char body[24];
	snprintf(body, sizeof body, "%08llu", (unsigned long long)x % BODY_SPACE);
	memcpy(out, head, 2);
	memcpy(out + 2, division, 6);
	memcpy(out + 8, body, 8);
	out[16] = xy_org_check_char(body);
	out[17] = '\0';
	out[17] = xy_uscc_check_char(out);
	out[18] = '\0';
	if (org) {
		memcpy(org, out + 8, 9);
		org[9] = '\0';
	}
}

static void person_name(uint64_t h, char *out, size_t outsz, bool marked)
{
	const char *s = surnames[h % COUNT(surnames)];
	const char *g1 = given[(h >> 8) % COUNT(given)];
	const char *g2 = (h >> 16) % 5 < 3 ? given[(h >> 24) % COUNT(given)] : "";
	snprintf(out, outsz, "%s%s%s%s", s, g1, g2, marked ? "（示例）" : "");
}

static void make_person(const pools *p, long i, subject *out, bool marked)
{
	long long x = ((long long)(i % PERSON_POOL) * p->person_mult + p->person_off) %
		      p->person_space;
	int y, m, d;
	char first[18];
	memset(out, 0, sizeof *out);
	out->kind = S_PERSON;
	xy_date_from_days(p->person_base_day + (long)(x / 1000), &y, &m, &d);
	snprintf(first, sizeof first, "%s%04d%02d%02d%03lld", divisions[i % 6], y, m, d,
		 x % 1000);
	memcpy(out->code, first, 17);
	out->code[17] = xy_ric_check_char(first);
	out->code[18] = '\0';
	person_name(mix(p->h ^ 0x9E50000ULL ^ (uint64_t)i), out->name, sizeof out->name, marked);
}

static void make_legal(const pools *p, long i, subject *out)
{
	uint64_t h = mix(p->h ^ 0x1E6A1000ULL ^ (uint64_t)i);
	subject rep;
	int d = (int)(i % 6);
	memset(out, 0, sizeof *out);
	if (h % 100 < 12) {
		out->kind = S_INDIVIDUAL;
		snprintf(out->name, sizeof out->name, "%s%s%s%s（示例）", district_names[d],
			 syllables[(h >> 8) % COUNT(syllables)],
			 syllables[(h >> 16) % COUNT(syllables)],
			 shop_types[(h >> 24) % COUNT(shop_types)]);
	} else {
		out->kind = S_LEGAL;
		snprintf(out->name, sizeof out->name, "营口%s%s%s%s（示例）",
			 syllables[(h >> 8) % COUNT(syllables)],
			 syllables[(h >> 16) % COUNT(syllables)],
			 industries[(h >> 24) % COUNT(industries)],
			 company_forms[(h >> 40) % COUNT(company_forms)]);
	}
	make_uscc(out->kind == S_INDIVIDUAL ? "92" : "91", divisions[d],
		  (i * 54435761LL + p->b_legal) % BODY_SPACE, out->code, out->org);
	make_person(p, (long)((h >> 32) % PERSON_POOL), &rep, false);
	snprintf(out->rep, sizeof out->rep, "%s", rep.name);
	memcpy(out->rep_ric, rep.code, sizeof out->rep_ric);
}

static void make_gov(const pools *p, long i, subject *out)
{
	int d = (int)(i % 6);
	memset(out, 0, sizeof *out);
	out->kind = S_GOV;
	snprintf(out->name, sizeof out->name, "营口市%s%s（示例）", district_names[d],
		 gov_bodies[(i / 6) % (long)COUNT(gov_bodies)]);
	/* 1 机构编制, 1 机关 */
	make_uscc("11", divisions[d], (i * 54435761LL + p->b_gov) % BODY_SPACE, out->code,
		  out->org);
}

/* A number in a pool, in division d (-1: any): hot numbers a quarter of the time. */
static long pick_number(rng *r, long pool, int d)
{
	long range = chance(r, 25) && pool > HOT_POOL ? HOT_POOL : pool;
	if (d < 0)
		d = (int)below(r, 6);
	return below(r, range / 6) * 6 + d;
}

/* ---- the generator state ---------------------------------------------- */

/* What to put into a field. */
typedef enum filler {
	F_NONE = 0, F_GENERIC,
	F_SUBJ_NAME, F_SUBJ_KIND, F_SUBJ_USCC, F_SUBJ_IDTYPE, F_SUBJ_IDNO, F_SUBJ_ORG,
	F_REP, F_REP_IDTYPE, F_REP_IDNO,
	F_KEY, F_DATE, F_VALID_FROM, F_VALID_TO,
	F_UNIT_NAME, F_UNIT_USCC,
	F_XK_WS, F_XK_LB, F_XK_ZS, F_XK_BH, F_XK_NR, F_XK_ZT,
	F_CF_WFXW, F_CF_SY, F_CF_YJ, F_CF_CFLB, F_CF_NR, F_CF_FK, F_CF_WFFF, F_CF_ZKDX,
	F_CF_YXQ, F_CF_GSJZQ,
	F_CONTENT, F_TITLE, F_COUNT, F_LINK, F_LIST_NAME, F_LIST_BASIS, F_CN_TYPE, F_CN_ITEM,
} filler;

typedef struct gen {
	const xy_demo_opts *o;
	const xy_registry *reg;
	xy_store *s;
	xy_demo_summary *sum;
	pools p;
	iconv_t to_gb;
	xy_buf file, conv, path, val;
	filler *fill;      /* per field of the current category */
	size_t nfill;

	/* the current cell */
	const xy_unit *unit;
	const xy_category *cat;
	rng r;
	int own_div;       /* division index of a county unit, -1 otherwise */
	int person_pct;
	const offence *offences;
	size_t noffences;
	const phrases *content;
	char organ[256];   /* 营口市市场监管局 */
	char organ_uscc[19];
	char keyhead[256]; /* 营市场监管局罚 */
	long n;            /* record number within the cell */

	/* the current record */
	subject subj;
	char date[32];     /* decision date YYYY-MM-DD */
	const licence *lic;
	const offence *off;
	const char *penalty;
	long amount;       /* 元 */

	/* 政府失信未治理 rows of the current batch, registered as government-
	 * dishonesty entries once it is imported (gov_register) */
	struct gov_row {
		char code[19], name[256], date[11], key[320], content[320];
	} *gov;
	size_t ngov, capgov;
} gen;

static void cjk_prefix(const char *s, size_t nchars, char *out, size_t outsz)
{
	size_t o = 0, got = 0;
	while (*s && got < nchars) {
		const unsigned char *u = (const unsigned char *)s;
		size_t len = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
		unsigned cp = 0;
		if (len == 3)
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
		if (cp >= 0x4E00 && cp <= 0x9FFF && o + len < outsz) {
			memcpy(out + o, s, len);
			o += len;
			got++;
		}
		for (size_t k = 0; k < len && *s; k++)
			s++;
	}
	out[o] = '\0';
}

static int division_index(const char *div)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(divisions[i], div) == 0)
			return i;
	return -1;
}

static filler filler_of(const xy_field *f)
{
	static const struct {
		const char *code;
		filler f;
	} by_code[] = {
		{ "XK_XDR_ZZJG", F_SUBJ_ORG },  { "CF_XDR_ZZJG", F_SUBJ_ORG },
		{ "XK_FRDB", F_REP },           { "CF_FRDB", F_REP },
		{ "XK_FR_ZJLX", F_REP_IDTYPE }, { "CF_FR_ZJLX", F_REP_IDTYPE },
		{ "XK_FR_ZJHM", F_REP_IDNO },   { "CF_FR_ZJHM", F_REP_IDNO },
		{ "XK_XKJG", F_UNIT_NAME },     { "XK_LYDW", F_UNIT_NAME },
		{ "CF_CFJG", F_UNIT_NAME },     { "CF_SJLY", F_UNIT_NAME },
		{ "RDDW", F_UNIT_NAME },
		{ "XK_XKJGDM", F_UNIT_USCC },   { "XK_LYDWDM", F_UNIT_USCC },
		{ "CF_CFJGDM", F_UNIT_USCC },   { "CF_SJLYDM", F_UNIT_USCC },
		{ "XK_XKWS", F_XK_WS },         { "XK_XKLB", F_XK_LB },
		{ "XK_XKZS", F_XK_ZS },         { "XK_XKBH", F_XK_BH },
		{ "XK_NR", F_XK_NR },           { "XK_ZT", F_XK_ZT },
		{ "XK_YXQZ", F_VALID_FROM },    { "YXQZ", F_VALID_FROM },
		{ "XK_YXQZI", F_VALID_TO },     { "YXQZI", F_VALID_TO },
		{ "CF_WFXW", F_CF_WFXW },       { "CF_SY", F_CF_SY },
		{ "CF_YJ", F_CF_YJ },           { "CF_CFLB", F_CF_CFLB },
		{ "CF_NR", F_CF_NR },           { "CF_NR_FK", F_CF_FK },
		{ "CF_NR_WFFF", F_CF_WFFF },    { "CF_NR_ZKDX", F_CF_ZKDX },
		{ "CF_YXQ", F_CF_YXQ },         { "CF_GSJZQ", F_CF_GSJZQ },
		{ "NR", F_CONTENT },            { "BT", F_TITLE },
		{ "SL", F_COUNT },              { "LJ", F_LINK },
		{ "MDMC", F_LIST_NAME },        { "YJ", F_LIST_BASIS },
		{ "CNLX", F_CN_TYPE },          { "CNSX", F_CN_ITEM },
	};
	switch (f->role) {
	case XY_ROLE_KEY: return F_KEY;
	case XY_ROLE_SUBJ_NAME: return F_SUBJ_NAME;
	case XY_ROLE_SUBJ_KIND: return F_SUBJ_KIND;
	case XY_ROLE_SUBJ_USCC: return F_SUBJ_USCC;
	case XY_ROLE_SUBJ_IDTYPE: return F_SUBJ_IDTYPE;
	case XY_ROLE_SUBJ_IDNO: return F_SUBJ_IDNO;
	case XY_ROLE_DATE: return F_DATE;
	default: break;
	}
	for (size_t i = 0; i < COUNT(by_code); i++)
		if (strcmp(by_code[i].code, f->code) == 0)
			return by_code[i].f;
	return f->required ? F_GENERIC : F_NONE;
}

/* ---- values -------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* date + years, 02-29 becoming 02-28. */
static xy_code add_years(xy_buf *v, const char *date, int years)
{
	int y = atoi(date) + years, m = atoi(date + 5), d = atoi(date + 8);
	if (m == 2 && d == 29 && days_in_month(y, 2) == 28)
		d = 28;
	return xy_buf_addf(v, "%04d-%02d-%02d", y, m, d);
}

/* The enum value v when the field accepts it, else the field's first value
 * (its code before '=' when it has one). */
static xy_code add_enum(xy_buf *v, const xy_field *f, const char *want)
{
	const char *first;
	if (want)
		for (size_t i = 0; i < f->nenum; i++) {
			const char *e = f->enum_values[i], *eq = strchr(e, '=');
			if (strcmp(e, want) == 0 || (eq && strcmp(eq + 1, want) == 0) ||
			    (eq && (size_t)(eq - e) == strlen(want) && strncmp(e, want, eq - e) == 0))
				return xy_buf_addstr(v, want);
		}
	if (!f->nenum)
		return XY_OK;
	first = f->enum_values[0];
	return xy_buf_add(v, first, strchr(first, '=') ? (size_t)(strchr(first, '=') - first)
						 : strlen(first));
}

static const char *subject_kind_zh(skind k)
{
	return k == S_PERSON ? "自然人" : k == S_INDIVIDUAL ? "个体工商户" : "法人及非法人组织";
}

static const char *content_text(gen *g)
{
	size_t n = 0;
	const char *const *t;
	if (!g->content)
		return NULL;
	t = g->content->text;
	while (n < COUNT(g->content->text) && t[n])
		n++;
	return n ? t[below(&g->r, (long)n)] : NULL;
}

static xy_code add_yuan_as_wan(xy_buf *v, long yuan)
{
	char frac[8];
	size_t n;
	snprintf(frac, sizeof frac, "%04ld", yuan % 10000);
	n = strlen(frac);
	while (n && frac[n - 1] == '0')
		n--;
	frac[n] = '\0';
	return n ? xy_buf_addf(v, "%ld.%s", yuan / 10000, frac) : xy_buf_addf(v, "%ld", yuan / 10000);
}

/* The value of field f for the current record into v (empty: leave blank). */
static xy_code value(gen *g, const xy_field *f, filler fl, xy_buf *v)
{
	const subject *s = &g->subj;
	bool person = s->kind == S_PERSON, legal = s->kind == S_LEGAL || s->kind == S_GOV;
	const char *t;
	int month = atoi(g->date + 5);

	switch (fl) {
	case F_NONE:
		return XY_OK;
	case F_SUBJ_NAME:
		return xy_buf_addstr(v, s->name);
	case F_SUBJ_KIND:
		return add_enum(v, f, subject_kind_zh(s->kind));
	case F_SUBJ_USCC:
		return person ? XY_OK : xy_buf_addstr(v, s->code);
	case F_SUBJ_IDTYPE:
		return person ? xy_buf_addstr(v, "身份证") : XY_OK;
	case F_SUBJ_IDNO:
		return person ? xy_buf_addstr(v, s->code) : XY_OK;
	case F_SUBJ_ORG:
		return s->kind == S_LEGAL && f->type == XY_FT_ORG ? xy_buf_addstr(v, s->org) : XY_OK;
	case F_REP:
		return legal && s->rep[0] ? xy_buf_addstr(v, s->rep) : XY_OK;
	case F_REP_IDTYPE:
		return legal && s->rep[0] ? xy_buf_addstr(v, "身份证") : XY_OK;
	case F_REP_IDNO:
		return legal && s->rep[0] ? xy_buf_addstr(v, s->rep_ric) : XY_OK;
	case F_KEY:
		return xy_buf_addf(v, "%s〔%d〕%03ld号", g->keyhead, XY_DEMO_YEAR, g->n);
	case F_DATE:
	case F_VALID_FROM:
		return xy_buf_addstr(v, g->date);
	case F_VALID_TO:
		return add_years(v, g->date, g->lic ? 5 : 2);
	case F_UNIT_NAME:
		return xy_buf_addstr(v, g->organ);
	case F_UNIT_USCC:
		return xy_buf_addstr(v, g->organ_uscc);
	case F_XK_WS:
		return xy_buf_addf(v, "%s准予行政许可决定书", g->lic->cert);
	case F_XK_LB:
		return add_enum(v, f, g->lic->kind);
	case F_XK_ZS:
		return xy_buf_addstr(v, g->lic->cert);
	case F_XK_BH:
		return xy_buf_addf(v, "YK%d%02d%06ld", XY_DEMO_YEAR, month, g->n);
	case F_XK_NR:
		return xy_buf_addstr(v, g->lic->what);
	case F_XK_ZT:
		return add_enum(v, f, "1");
	case F_CF_WFXW:
		return xy_buf_addstr(v, g->off->type);
	case F_CF_SY:
		return xy_buf_addf(v, "%s%s。%s", PICK(&g->r, openers), g->off->act,
				   PICK(&g->r, closers));
	case F_CF_YJ:
		return xy_buf_addf(v, "依据%s", g->off->basis);
	case F_CF_CFLB:
		return xy_buf_addstr(v, g->penalty);
	case F_CF_NR:
		if (strcmp(g->penalty, "罚款") == 0)
			return xy_buf_addf(v, "罚款人民币%ld元", g->amount);
		if (strcmp(g->penalty, "没收违法所得") == 0)
			return xy_buf_addf(v, "没收违法所得人民币%ld元", g->amount);
		if (strcmp(g->penalty, "行政拘留") == 0)
			return xy_buf_addf(v, "行政拘留%ld日", 3 + below(&g->r, 8));
		if (strcmp(g->penalty, "责令停产停业") == 0)
			return xy_buf_addf(v, "责令停产停业%ld日", 5 + below(&g->r, 26));
		if (strcmp(g->penalty, "暂扣许可证") == 0)
			return xy_buf_addf(v, "暂扣许可证%ld个月", 1 + below(&g->r, 6));
		return xy_buf_addstr(v, g->penalty);
	case F_CF_FK:
		return strcmp(g->penalty, "罚款") == 0 ? add_yuan_as_wan(v, g->amount) : XY_OK;
	case F_CF_WFFF:
		return strcmp(g->penalty, "没收违法所得") == 0 ? add_yuan_as_wan(v, g->amount) : XY_OK;
	case F_CF_ZKDX:
		return strcmp(g->penalty, "暂扣许可证") == 0
			       ? xy_buf_addf(v, "营业执照（编号YK%06ld）", g->n)
			       : XY_OK;
	case F_CF_YXQ:
	case F_CF_GSJZQ:
		return add_years(v, g->date, strcmp(g->penalty, "警告") == 0 ? 1 : 3);
	case F_CONTENT:
		if (!(t = content_text(g)))
			return xy_buf_addf(v, "%s信息（示例）", g->cat->name);
		return xy_buf_addf(v, "%s（%s，示例）", t, g->organ);
	case F_TITLE:
		if (!(t = content_text(g)))
			t = g->cat->name;
		return xy_buf_addf(v, "%s%d年%d月%s（示例）", g->unit->name, XY_DEMO_YEAR, month, t);
	case F_COUNT:
		return xy_buf_addf(v, "%ld", 1 + below(&g->r, 30));
	case F_LINK:
		return strcmp(g->cat->code, "xygzbd") == 0 ? xy_buf_addstr(v, PICK(&g->r, media))
							   : XY_OK;
	case F_LIST_NAME: {
		const char *n;
		if (strcmp(g->cat->code, "dfhongmd") == 0)
			n = strcmp(g->unit->name, "税务局") == 0 ? "A级纳税人名单"
								 : PICK(&g->r, list_names_red);
		else
			n = PICK(&g->r, list_names_black);
		/* a list type with a designating unit (data/list-types.tsv: 谁认定谁负责)
		 * only from that unit, so that every demo row becomes a list entry;
		 * the others get a name the catch-all type takes */
		if (strcmp(n, "守信激励对象名单") == 0 && strcmp(g->unit->name, "发改委") != 0)
			n = "诚信示范企业名单";
		else if (strcmp(n, "拖欠农民工工资失信联合惩戒对象名单") == 0 &&
			 strcmp(g->unit->name, "人社局") != 0)
			n = "失信联合惩戒对象名单";
		return xy_buf_addstr(v, n);
	}
	case F_LIST_BASIS:
		return xy_buf_addstr(v, "《营口市社会信用体系建设联合奖惩实施办法》（示例）");
	case F_CN_TYPE:
		return add_enum(v, f, below(&g->r, 3) ? "主动型" : "审批替代型");
	case F_CN_ITEM:
		return xy_buf_addstr(v, below(&g->r, 2) ? "依法诚信经营" : "申请材料真实有效");
	case F_GENERIC:
		break;
	}
	/* a required field xinyong's demo does not know: something of its type */
	switch (f->type) {
	case XY_FT_USCC:
		return xy_buf_addstr(v, g->organ_uscc);
	case XY_FT_ORG:
		return xy_buf_add(v, g->organ_uscc + 8, 9);
	case XY_FT_RIC:
	case XY_FT_IDNO: {
		subject p;
		make_person(&g->p, below(&g->r, PERSON_POOL), &p, false);
		return xy_buf_addstr(v, p.code);
	}
	case XY_FT_ENUM:
		return add_enum(v, f, NULL);
	case XY_FT_DATE:
	case XY_FT_UNTIL:
		return xy_buf_addstr(v, g->date);
	case XY_FT_DECIMAL:
	case XY_FT_WAN:
	case XY_FT_INT:
		return xy_buf_addstr(v, "1");
	case XY_FT_TEXT:
	case XY_FT_CODE:
		break;
	}
	return xy_buf_addf(v, "%s（示例）", f->name);
}

/* Cut v to f's max_len characters. */
static void clip(xy_buf *v, const xy_field *f)
{
	size_t chars = 0;
	if (!f->max_len)
		return;
	for (size_t i = 0; i < v->len; i++)
		if (((unsigned char)v->data[i] & 0xC0) != 0x80 && ++chars > f->max_len) {
			xy_buf_truncate(v, i);
			return;
		}
}

static xy_code add_csv_cell(xy_buf *b, const char *s, size_t n)
{
	xy_code rc;
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n))
		return xy_buf_add(b, s, n);
	if ((rc = xy_buf_addch(b, '"')))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '"' && (rc = xy_buf_addch(b, '"'))) || (rc = xy_buf_addch(b, s[i])))
			return rc;
	return xy_buf_addch(b, '"');
}

/* ---- government dishonesty ----
 *
 * The region table's 政府失信未治理 column counts government-dishonesty
 * entries not 已治理 at the period's end (tables.tsv source
 * gov-dishonesty-open), not batches.  So each 政府失信未治理 row a district
 * reports is also registered as an entry (body, district, its date, the
 * row's key as source), left 未治理: the column then shows what the bulletin
 * printed.  A second run finds them registered (same body and source). */

static bool gov_cell(const gen *g)
{
	return strcmp(g->cat->code, "zfsxwzl") == 0 &&
	       (g->unit->kind == XY_UNIT_COUNTY || g->unit->kind == XY_UNIT_PARK);
}

static xy_code gov_next(gen *g, struct gov_row **out)
{
	if (g->ngov == g->capgov) {
		size_t cap = g->capgov ? g->capgov * 2 : 8;
		struct gov_row *v = realloc(g->gov, cap * sizeof *v);
		if (!v)
			return XY_ERR_NOMEM;
		g->gov = v;
		g->capgov = cap;
	}
	*out = &g->gov[g->ngov++];
	memset(*out, 0, sizeof **out);
	snprintf((*out)->code, sizeof (*out)->code, "%s", g->subj.code);
	snprintf((*out)->name, sizeof (*out)->name, "%s", g->subj.name);
	memcpy((*out)->date, g->date, 10); /* YYYY-MM-DD */
	return XY_OK;
}

/* The case type a row's content describes (gov-dishonesty-types.tsv). */
static const char *gov_case_type(const char *content)
{
	if (strstr(content, "判决"))
		return "不执行司法判决";
	if (strstr(content, "招商引资"))
		return "不履行招商引资承诺";
	if (strstr(content, "账款"))
		return "拖欠企业账款";
	return "其他";
}

static xy_code gov_register(gen *g, xy_error *err)
{
	for (size_t i = 0; i < g->ngov; i++) {
		struct gov_row *r = &g->gov[i];
		xy_gov_dishonesty_in in;
		xy_gov_dishonesty_row *row = calloc(1, sizeof *row);
		xy_code rc;
		if (!row)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		memset(&in, 0, sizeof in);
		in.body = r->code;
		in.body_name = r->name;
		in.district = g->unit->name;
		in.case_type = gov_case_type(r->content);
		in.source = r->key;
		in.date = r->date;
		in.note = r->content;
		rc = xy_gov_dishonesty_add(g->s, g->reg, NULL, &in, row, err);
		xy_gov_dishonesty_row_release(row);
		free(row);
		if (rc == XY_ERR_CONFLICT) {
			xy_error_clear(err);
			continue;
		}
		if (rc)
			return rc;
		g->sum->gov_entries++;
	}
	g->ngov = 0;
	return XY_OK;
}

/* Choose who and what the next record is about, and when it was decided. */
static void next_record(gen *g, int month)
{
	int d, m = month, y = XY_DEMO_YEAR;
	int div = g->own_div >= 0 && chance(&g->r, 80) ? g->own_div : -1;

	g->n++;
	/* a fifth of the decisions were taken the month before they were reported */
	if (m > 1 && chance(&g->r, 20))
		m--;
	d = 1 + (int)below(&g->r, days_in_month(y, m));
	snprintf(g->date, sizeof g->date, "%04d-%02d-%02d", y, m, d);

	g->lic = NULL;
	g->off = NULL;
	g->penalty = NULL;
	if (g->cat->kind != XY_CAT_SUBJECT) {
		memset(&g->subj, 0, sizeof g->subj);
		return;
	}
	if (strcmp(g->cat->code, "zfsxwzl") == 0)
		make_gov(&g->p, pick_number(&g->r, GOV_POOL, div), &g->subj);
	else if (chance(&g->r, g->person_pct))
		make_person(&g->p, pick_number(&g->r, PERSON_POOL, div), &g->subj, true);
	else
		make_legal(&g->p, pick_number(&g->r, LEGAL_POOL, div), &g->subj);

	if (strcmp(g->cat->code, "xzxk") == 0) {
		for (int tries = 0; tries < 32; tries++) {
			g->lic = &PICK(&g->r, licences);
			if (g->lic->who == 'B' || (g->lic->who == 'P') == (g->subj.kind == S_PERSON))
				break;
		}
		if (!(g->lic->who == 'B' || (g->lic->who == 'P') == (g->subj.kind == S_PERSON)))
			g->lic = &licences[8]; /* 'B' */
	} else if (strcmp(g->cat->code, "xzcf") == 0) {
		bool person = g->subj.kind == S_PERSON;
		for (int tries = 0; tries < 32; tries++) {
			g->off = &g->offences[below(&g->r, (long)g->noffences)];
			if (g->off->who == 'B' || (g->off->who == 'P') == person)
				break;
		}
		if (g->offences == police_offences) {
			static const char *const p[] = { "罚款", "罚款", "警告", "行政拘留" };
			g->penalty = p[below(&g->r, 4)];
			if (!person && strcmp(g->penalty, "行政拘留") == 0)
				g->penalty = "罚款";
		} else {
			static const char *const p[] = { "罚款", "罚款", "罚款", "警告",
							 "没收违法所得", "责令停产停业", "暂扣许可证" };
			g->penalty = p[below(&g->r, (long)COUNT(p))];
			if (person && strcmp(g->penalty, "责令停产停业") == 0)
				g->penalty = "警告";
		}
		g->amount = (5 + below(&g->r, person ? 50 : 500)) * 100;
	}
}

/* ---- files -------------------------------------------------------------- */

static xy_code mkdir_p(const char *dir, xy_error *err)
{
	char path[1024];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof path)
		return xy_error_set(err, XY_ERR_ARG, "bad work directory '%s'", dir);
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (path[i] == '/' || path[i] == '\0') {
			char c = path[i];
			path[i] = '\0';
			if (mkdir(path, 0777) && errno != EEXIST)
				return xy_error_at(err, XY_ERR_IO, path, 0, NULL,
						   "cannot create directory: %s", strerror(errno));
			path[i] = c;
		}
	return XY_OK;
}

static xy_code to_gb18030(gen *g, xy_error *err)
{
	char *in = g->file.data, *out;
	size_t inleft = g->file.len, outleft;
	xy_code rc;
	xy_buf_reset(&g->conv);
	iconv(g->to_gb, NULL, NULL, NULL, NULL);
	while (inleft) {
		if ((rc = xy_buf_grow(&g->conv, inleft * 2 + 16)))
			return xy_error_set(err, rc, "out of memory");
		out = g->conv.data + g->conv.len;
		outleft = g->conv.cap - g->conv.len - 1;
		if (iconv(g->to_gb, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != E2BIG) {
			g->conv.len = (size_t)(out - g->conv.data);
			g->conv.data[g->conv.len] = '\0';
			return xy_error_set(err, XY_ERR_ENCODING, "cannot encode as GB18030: %s",
					    strerror(errno));
		}
		g->conv.len = (size_t)(out - g->conv.data);
		g->conv.data[g->conv.len] = '\0';
	}
	return XY_OK;
}

static xy_code write_file(const char *path, const xy_buf *b, xy_error *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
	if (fwrite(b->data, 1, b->len, f) != b->len) {
		int e = errno;
		fclose(f);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(e));
	}
	if (fclose(f))
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
	return XY_OK;
}

static void relay_warning(void *ctx, const char *msg)
{
	gen *g = ctx;
	g->sum->warnings++;
	if (g->o->progress) {
		char line[1024];
		snprintf(line, sizeof line, "warning: %s", msg);
		g->o->progress(g->o->progress_ctx, line);
	}
}

/* One month of the current cell: write the file, import it, check it. */
static xy_code batch(gen *g, int month, long rows, bool gb, bool by_code, xy_error *err)
{
	const xy_category *cat = g->cat;
	const char *eol = gb ? "\r\n" : "\n";
	char reported[24]; /* YYYY-MM, sized for any two ints (-Wformat-truncation at -O1 with sanitizers) */
	xy_import_opts io;
	XY_AUTO(xy_batch, b);
	xy_code rc = XY_OK;

	xy_buf_reset(&g->file);
	if (!gb && !by_code)
		rc = xy_buf_addstr(&g->file, "\xEF\xBB\xBF"); /* what Excel's "CSV UTF-8" writes */
	for (size_t f = 0; f < cat->nfields && !rc; f++) {
		const char *h = by_code ? cat->fields[f].code : cat->fields[f].name;
		if ((f && (rc = xy_buf_addch(&g->file, ','))) ||
		    (rc = add_csv_cell(&g->file, h, strlen(h))))
			break;
	}
	if (!rc)
		rc = xy_buf_addstr(&g->file, eol);
	g->ngov = 0;
	for (long i = 0; i < rows && !rc; i++) {
		struct gov_row *gr = NULL;
		next_record(g, month);
		if (gov_cell(g)) {
			if ((rc = gov_next(g, &gr)))
				break;
		}
		for (size_t f = 0; f < cat->nfields && !rc; f++) {
			xy_buf_reset(&g->val);
			if ((rc = value(g, &cat->fields[f], g->fill[f], &g->val)))
				break;
			clip(&g->val, &cat->fields[f]);
			if (gr && g->fill[f] == F_KEY)
				snprintf(gr->key, sizeof gr->key, "%s", g->val.data ? g->val.data : "");
			else if (gr && g->fill[f] == F_CONTENT)
				snprintf(gr->content, sizeof gr->content, "%s",
					 g->val.data ? g->val.data : "");
			if (f && (rc = xy_buf_addch(&g->file, ',')))
				break;
			rc = add_csv_cell(&g->file, g->val.data, g->val.len);
		}
		if (!rc)
			rc = xy_buf_addstr(&g->file, eol);
	}
	if (rc)
		return xy_error_set(err, rc, "out of memory");
	if (gb && (rc = to_gb18030(g, err)))
		return rc;

	xy_buf_reset(&g->path);
	rc = xy_buf_addf(&g->path, "%s/%s-%s-%d-%02d.csv", g->o->work_dir, g->unit->name, cat->name,
			 XY_DEMO_YEAR, month);
	for (size_t i = strlen(g->o->work_dir) + 1; !rc && i < g->path.len; i++)
		if (g->path.data[i] == '/')
			g->path.data[i] = '_';
	if (rc)
		return xy_error_set(err, rc, "out of memory");
	if ((rc = write_file(g->path.data, gb ? &g->conv : &g->file, err)))
		return rc;

	snprintf(reported, sizeof reported, "%d-%02d", XY_DEMO_YEAR, month);
	memset(&io, 0, sizeof io);
	io.unit = g->unit->name;
	io.category = cat->name;
	io.reported_on = reported;
	io.report_dir = g->o->report_dir;
	io.warn = relay_warning;
	io.warn_ctx = g;
	if ((rc = xy_import_file(g->s, g->reg, g->path.data, &io, &b, err)))
		return rc;
	g->sum->batches++;
	g->sum->files_gb18030 += gb;
	g->sum->records += rows;
	g->sum->added += b.added;
	g->sum->updated += b.updated;
	g->sum->unchanged += b.unchanged;
	g->sum->rejected += b.rejected;
	if (g->o->progress) {
		char line[1024];
		snprintf(line, sizeof line,
			 "batch %lld  %s · %s · %s: %ld rows, %ld new, %ld updated, %ld unchanged",
			 (long long)b.id, g->unit->name, cat->name, reported, b.rows, b.added,
			 b.updated, b.unchanged);
		g->o->progress(g->o->progress_ctx, line);
	}
	if (b.status != XY_BATCH_COMMITTED || b.rejected || b.rows != rows)
		return xy_error_at(err, XY_ERR_INVALID, g->path.data, 0, NULL,
				   "demo generator bug: batch %lld (%s · %s · %s) took %ld of %ld rows, "
				   "%ld rejected%s%s",
				   (long long)b.id, g->unit->name, cat->name, reported,
				   b.rows - b.rejected, rows, b.rejected,
				   b.error_report[0] ? "; see " : "", b.error_report);
	return gov_register(g, err);
}

/* Set up the generator for one cell. */
static xy_code start_cell(gen *g, const xy_demo_cell *c, xy_error *err)
{
	const xy_unit *u = c->unit;
	char catshort[32];
	filler *fill;

	g->unit = u;
	g->cat = c->cat;
	g->n = 0;
	rng_init(&g->r, hash_str(hash_str(g->o->seed ^ 0xCE11ULL, u->name), c->cat->name));
	g->own_div = u->kind == XY_UNIT_COUNTY ? division_index(u->division) : -1;
	g->person_pct = person_share(c->cat->code, u->name);

	if (strcmp(u->name, "公安局") == 0) {
		g->offences = police_offences;
		g->noffences = COUNT(police_offences);
	} else if (strcmp(u->name, "应急管理局") == 0) {
		g->offences = safety_offences;
		g->noffences = COUNT(safety_offences);
	} else {
		g->offences = market_offences;
		g->noffences = COUNT(market_offences);
	}
	g->content = NULL;
	for (size_t i = 0; i < COUNT(contents); i++)
		if (strcmp(contents[i].code, c->cat->code) == 0 &&
		    (!contents[i].unit || strcmp(contents[i].unit, u->name) == 0)) {
			g->content = &contents[i];
			break;
		}

	/* 营口市 + the unit as its documents name it */
	if (u->kind == XY_UNIT_PARK || u->kind == XY_UNIT_CITY ||
	    (strncmp(u->name, "市", strlen("市")) == 0 && strncmp(u->name, "市场", strlen("市场")) != 0))
		snprintf(g->organ, sizeof g->organ, "营口%s", u->name);
	else
		snprintf(g->organ, sizeof g->organ, "营口市%s", u->name);
	make_uscc("11", u->division[0] ? u->division : "210800",
		  ((long long)u->sort * 7919 + 10007) * 54435761LL % BODY_SPACE, g->organ_uscc, NULL);

	if (strcmp(c->cat->code, "xzxk") == 0)
		snprintf(catshort, sizeof catshort, "许");
	else if (strcmp(c->cat->code, "xzcf") == 0)
		snprintf(catshort, sizeof catshort, "罚");
	else
		cjk_prefix(c->cat->name, 2, catshort, sizeof catshort);
	snprintf(g->keyhead, sizeof g->keyhead, "营%s%s", u->name, catshort);

	if (c->cat->nfields > g->nfill) {
		if (!(fill = realloc(g->fill, c->cat->nfields * sizeof *fill)))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		g->fill = fill;
		g->nfill = c->cat->nfields;
	}
	for (size_t f = 0; f < c->cat->nfields; f++)
		g->fill[f] = filler_of(&c->cat->fields[f]);
	return XY_OK;
}

/* ---- counts ------------------------------------------------------------ */

xy_code xy_demo_counts_load(const char *path, const xy_registry *reg, xy_demo_cell **cells,
			    size_t *n, xy_error *err)
{
	FILE *f;
	xy_buf text = XY_BUF_INIT;
	xy_demo_cell *v = NULL;
	size_t nv = 0, cap = 0;
	char chunk[8192];
	size_t got;
	long line = 0;
	xy_code rc = XY_OK;
	char *p;

	*cells = NULL;
	*n = 0;
	if (!(f = fopen(path, "rb")))
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = xy_buf_add(&text, chunk, got)))
			break;
	if (!rc && ferror(f))
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot read: %s", strerror(errno));
	else if (rc)
		xy_error_set(err, rc, "out of memory");
	fclose(f);
	if (rc)
		goto out;

	for (p = text.data; *p && !rc;) {
		char *eol = strchr(p, '\n'), *col[4], *end;
		size_t ncol = 0;
		if (eol)
			*eol = '\0';
		line++;
		if (eol && eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		if (*p && *p != '#' && strncmp(p, "table\t", 6) != 0) {
			char *q = p;
			col[ncol++] = q;
			while ((q = strchr(q, '\t')) && ncol < 4) {
				*q++ = '\0';
				col[ncol++] = q;
			}
			if (ncol != 4 || q) {
				rc = xy_error_at(err, XY_ERR_CONFIG, path, line, NULL,
						 "want 4 tab-separated columns: table unit category count");
				break;
			}
			if (nv == cap) {
				size_t nc = cap ? cap * 2 : 64;
				xy_demo_cell *nvv = realloc(v, nc * sizeof *nvv);
				if (!nvv) {
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
					break;
				}
				v = nvv;
				cap = nc;
			}
			memset(&v[nv], 0, sizeof v[nv]);
			snprintf(v[nv].table, sizeof v[nv].table, "%s", col[0]);
			if (!(v[nv].unit = xy_registry_unit(reg, col[1])))
				rc = xy_error_at(err, XY_ERR_CONFIG, path, line, "unit",
						 "unknown unit '%s'", col[1]);
			else if (!(v[nv].cat = xy_registry_category(reg, col[2])))
				rc = xy_error_at(err, XY_ERR_CONFIG, path, line, "category",
						 "unknown category '%s'", col[2]);
			else {
				errno = 0;
				v[nv].count = strtol(col[3], &end, 10);
				if (errno || end == col[3] || *end || v[nv].count <= 0)
					rc = xy_error_at(err, XY_ERR_CONFIG, path, line, "count",
							 "count '%s' is not a positive number", col[3]);
			}
			for (size_t i = 0; !rc && i < nv; i++)
				if (v[i].unit == v[nv].unit && v[i].cat == v[nv].cat)
					rc = xy_error_at(err, XY_ERR_CONFIG, path, line, NULL,
							 "%s · %s is listed twice", col[1], col[2]);
			if (!rc)
				nv++;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
out:
	xy_buf_release(&text);
	if (rc) {
		free(v);
		return rc;
	}
	*cells = v;
	*n = nv;
	return XY_OK;
}

/* ---- the whole demo ------------------------------------------------------ */

xy_code xy_demo_generate(xy_store *s, const xy_registry *reg, const xy_demo_opts *o,
			 xy_demo_summary *sum, xy_error *err)
{
	gen g;
	xy_demo_cell *cells = NULL;
	size_t ncells = 0;
	xy_buf counts = XY_BUF_INIT;
	xy_code rc;

	memset(sum, 0, sizeof *sum);
	if (!s || !reg || !o || !o->work_dir || !*o->work_dir)
		return xy_error_set(err, XY_ERR_ARG, "demo: store, registry and work_dir are required");
	if (o->only_unit && !xy_registry_unit(reg, o->only_unit))
		return xy_error_set(err, XY_ERR_NOTFOUND, "unknown source unit '%s' (未知信源单位)",
				    o->only_unit);
	if (!o->counts && xy_buf_addf(&counts, "%s/demo-counts.tsv", xy_registry_default_dir()))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_demo_counts_load(o->counts ? o->counts : counts.data, reg, &cells, &ncells, err);
	xy_buf_release(&counts);
	if (rc)
		return rc;
	if ((rc = mkdir_p(o->work_dir, err))) {
		free(cells);
		return rc;
	}

	memset(&g, 0, sizeof g);
	g.o = o;
	g.reg = reg;
	g.s = s;
	g.sum = sum;
	pools_init(&g.p, o->seed);
	xy_buf_init(&g.file, 0);
	xy_buf_init(&g.conv, 0);
	xy_buf_init(&g.path, 0);
	xy_buf_init(&g.val, 0);
	if ((g.to_gb = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1) {
		free(cells);
		return xy_error_set(err, XY_ERR_ENCODING, "iconv cannot encode GB18030: %s",
				    strerror(errno));
	}

	for (size_t i = 0; i < ncells && !rc; i++) {
		const xy_demo_cell *c = &cells[i];
		long split[XY_DEMO_MONTHS];
		uint64_t uh;
		bool gb, by_code;
		if (o->only_unit && strcmp(c->unit->name, o->only_unit) != 0)
			continue;
		/* how the unit sends its files: a third GB18030 (Excel/WPS on Windows), a
		 * quarter of the UTF-8 ones with field codes as headers */
		uh = hash_str(0x0F11E5ULL, c->unit->name);
		gb = uh % 3 == 0;
		by_code = !gb && (uh >> 8) % 4 == 0;
		if ((rc = start_cell(&g, c, err)))
			break;
		sum->cells++;
		xy_demo_split(o->seed, c->unit->name, c->cat->name, c->count, split);
		for (int m = 0; m < XY_DEMO_MONTHS && !rc; m++)
			if (split[m])
				rc = batch(&g, m + 1, split[m], gb, by_code, err);
	}

	iconv_close(g.to_gb);
	xy_buf_release(&g.file);
	xy_buf_release(&g.conv);
	xy_buf_release(&g.path);
	xy_buf_release(&g.val);
	free(g.fill);
	free(g.gov);
	free(cells);
	return rc;
}
