/* Unit tests of the 双随机 draw (lib/supervision/inspect.c): plans parse to
 * one canonical text, draws are a function of the published inputs only,
 * sampling is uniform, conflicts never broken and impossible plans refused
 * before drawing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/inspect.h"

static xy_error err = XY_ERROR_INIT;

#define OK(x) cr_assert_eq((x), XY_OK, "%s: %s", #x, err.msg)

static const char *plan_json =
	"{\"name\":\"2024年第一批\",\"unit\":\"市场监管局\","
	"\"items\":[{\"item\":\"营业执照公示\",\"basis\":\"《企业信息公示暂行条例》\",\"method\":\"书面检查\"}],"
	"\"ratios\":{\"A\":0.03,\"B\":\"5%\",\"C\":0.2,\"D\":1},"
	"\"team_size\":2,\"not_own_district\":true,"
	"\"inspectors\":["
	"{\"name\":\"检查员01\",\"unit\":\"市场监管局\",\"district\":\"站前区\",\"links\":[\"S0001\"]},"
	"{\"name\":\"检查员02\",\"unit\":\"市场监管局\",\"district\":\"西市区\"},"
	"{\"name\":\"检查员03\",\"unit\":\"市场监管局\",\"district\":\"鲅鱼圈区\"},"
	"{\"name\":\"检查员04\",\"unit\":\"市场监管局\",\"district\":\"站前区\"}]}";

static const char *districts[] = { "站前区", "西市区", "鲅鱼圈区", "老边区" };

/* n subjects S0001… with grades cycling through `grades`. */
static void population(xy_inspect_population *p, size_t n, const char *grades)
{
	char code[32];
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < n; i++) {
		snprintf(code, sizeof code, "S%04zu", i + 1);
		OK(xy_inspect_population_add(p, code, grades[i % strlen(grades)], districts[i % 4],
					     false, &err));
	}
	OK(xy_inspect_population_seal(p, &err));
}

static void plan(xy_inspect_plan *p)
{
	OK(xy_inspect_plan_parse(plan_json, strlen(plan_json), "plan.json", p, &err));
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *q = strstr(text, needle); q; q = strstr(q + 1, needle))
		n++;
	return n;
}

Test(inspect, plan_canonical_round_trip)
{
	xy_inspect_plan p, q;
	plan(&p);
	cr_assert_eq(p.ratio[0], 300);
	cr_assert_eq(p.ratio[1], 500);
	cr_assert_eq(p.ratio[3], 10000);
	cr_assert(p.key_black, "the key-supervision rule is on by default");
	cr_assert_str_eq(p.grades, "ABCD");
	OK(xy_inspect_plan_parse(p.text, strlen(p.text), "canonical", &q, &err));
	cr_assert_str_eq(q.text, p.text);
	cr_assert_str_eq(q.digest, p.digest);
	xy_inspect_plan_release(&p);
	xy_inspect_plan_release(&q);
}

Test(inspect, plan_errors_name_the_field)
{
	static const struct {
		const char *json, *field;
	} cases[] = {
		{ "{\"unit\":\"u\",\"items\":[{\"item\":\"x\"}],\"inspectors\":[{\"name\":\"a\"}]}", "计划名称" },
		{ "{\"name\":\"n\",\"unit\":\"u\",\"items\":[],\"inspectors\":[{\"name\":\"a\"}]}", "items" },
		{ "{\"name\":\"n\",\"unit\":\"u\",\"items\":[{\"item\":\"x\"}],\"ratios\":{\"B\":1.5},"
		  "\"inspectors\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "B级抽查比例" },
		{ "{\"name\":\"n\",\"unit\":\"u\",\"items\":[{\"item\":\"x\"}],\"team_size\":3,"
		  "\"inspectors\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "team_size" },
		{ "{\"name\":\"n\",\"unit\":\"u\",\"items\":[{\"item\":\"x\"}],"
		  "\"inspectors\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "检查人员姓名" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_inspect_plan p;
		xy_error e = XY_ERROR_INIT;
		cr_assert_eq(xy_inspect_plan_parse(cases[i].json, strlen(cases[i].json), "p.json", &p, &e),
			     XY_ERR_INVALID, "case %zu accepted", i);
		cr_assert_str_eq(e.field, cases[i].field, "case %zu: %s", i, e.msg);
	}
}

Test(inspect, same_inputs_same_bytes_other_random_other_draw)
{
	xy_inspect_plan p;
	xy_inspect_population pop;
	xy_buf a = XY_BUF_INIT, b = XY_BUF_INIT, c = XY_BUF_INIT, why = XY_BUF_INIT;
	plan(&p);
	population(&pop, 200, "ABBC");
	OK(xy_inspect_draw_text(&p, &pop, "2024-03-01 福彩3D 123", &a, &err));
	OK(xy_inspect_draw_text(&p, &pop, "2024-03-01 福彩3D 123", &b, &err));
	cr_assert_str_eq(a.data, b.data);
	OK(xy_inspect_compare(a.data, b.data, &why));
	OK(xy_inspect_draw_text(&p, &pop, "2024-03-01 福彩3D 124", &c, &err));
	cr_assert_str_neq(a.data, c.data);
	cr_assert_eq(xy_inspect_compare(a.data, c.data, &why), XY_ERR_INVALID);
	cr_assert(strstr(why.data, "公开随机数不同"), "%s", why.data);
	cr_assert(strstr(why.data, "对象 S"), "names a target: %s", why.data);
	/* 50 A → 2, 100 B → 5, 50 C → 10 */
	cr_assert_eq(count(a.data, "\tA\t随机"), 2, "%s", a.data);
	cr_assert_eq(count(a.data, "\tB\t随机"), 5);
	cr_assert_eq(count(a.data, "\tC\t随机"), 10);
	xy_buf_release(&a);
	xy_buf_release(&b);
	xy_buf_release(&c);
	xy_buf_release(&why);
	xy_inspect_population_release(&pop);
	xy_inspect_plan_release(&p);
}

Test(inspect, key_subjects_always_in)
{
	xy_inspect_plan p;
	xy_inspect_population pop;
	xy_buf a = XY_BUF_INIT;
	plan(&p);
	memset(&pop, 0, sizeof pop);
	OK(xy_inspect_population_add(&pop, "K1", 'A', "西市区", true, &err));
	OK(xy_inspect_population_add(&pop, "N1", 'A', "西市区", false, &err));
	OK(xy_inspect_population_add(&pop, "N2", 0, "", false, &err)); /* unknown grade: B */
	OK(xy_inspect_population_seal(&pop, &err));
	cr_assert(strstr(pop.text, "N2\tB\t\t0\n"), "%s", pop.text);
	OK(xy_inspect_draw_text(&p, &pop, "r", &a, &err));
	cr_assert(strstr(a.data, "target\tK1\tA\t重点\t"), "%s", a.data);
	xy_buf_release(&a);
	xy_inspect_population_release(&pop);
	xy_inspect_plan_release(&p);
}

Test(inspect, population_text_round_trip_and_tamper)
{
	xy_inspect_population pop, back;
	char *t;
	population(&pop, 20, "ABCD");
	OK(xy_inspect_population_parse(pop.text, strlen(pop.text), &back, &err));
	cr_assert_str_eq(back.digest, pop.digest);
	xy_inspect_population_release(&back);
	t = strdup(pop.text);
	*strstr(t, "S0002\tB") = 'T'; /* out of order now */
	cr_assert_neq(xy_inspect_population_parse(t, strlen(t), &back, &err), XY_OK);
	free(t);
	xy_inspect_population_release(&pop);
}

Test(inspect, rng_below_uniform)
{
	unsigned char seed[32] = { 1 };
	xy_inspect_rng r;
	unsigned hist[3] = { 0 };
	xy_inspect_rng_init(&r, seed);
	for (int i = 0; i < 30000; i++)
		hist[xy_inspect_rng_below(&r, 3)]++;
	for (int i = 0; i < 3; i++) /* 10000 ± 5 σ (σ ≈ 81.6) */
		cr_assert(hist[i] > 9592 && hist[i] < 10408, "bucket %d: %u", i, hist[i]);
	/* a bound near 2^32 still lands in range */
	for (int i = 0; i < 1000; i++)
		cr_assert_lt(xy_inspect_rng_below(&r, 0xC0000001u), 0xC0000001u);
}

Test(inspect, sampling_uniform_over_seeds)
{
	/* 40 subjects of grade C at 20 %: 8 a draw; over 2000 random values each
	 * subject is drawn 400 times on average (binomial σ ≈ 17.9): all within
	 * 5 σ, and the realised fraction is exactly the ratio every time. */
	xy_inspect_plan p;
	xy_inspect_population pop;
	unsigned hits[40] = { 0 };
	char rnd[32];
	plan(&p);
	p.not_own_district = false;
	population(&pop, 40, "C");
	for (int s = 0; s < 2000; s++) {
		xy_buf a = XY_BUF_INIT;
		snprintf(rnd, sizeof rnd, "seed-%d", s);
		OK(xy_inspect_draw_text(&p, &pop, rnd, &a, &err));
		cr_assert_eq(count(a.data, "\ntarget\t"), 8);
		for (int i = 0; i < 40; i++) {
			char needle[24];
			snprintf(needle, sizeof needle, "target\tS%04d\t", i + 1);
			hits[i] += strstr(a.data, needle) != NULL;
		}
		xy_buf_release(&a);
	}
	for (int i = 0; i < 40; i++)
		cr_assert(hits[i] > 310 && hits[i] < 490, "subject %d drawn %u times", i + 1, hits[i]);
	xy_inspect_population_release(&pop);
	xy_inspect_plan_release(&p);
}

Test(inspect, impossible_plan_refused_before_drawing)
{
	/* S0001 is in 站前区 and linked to 检查员01; with not_own_district only
	 * 检查员02 and 03 remain: a team of 3 cannot be made. */
	xy_inspect_plan p;
	xy_inspect_population pop;
	xy_buf a = XY_BUF_INIT;
	plan(&p);
	p.team_size = 3;
	population(&pop, 8, "D");
	cr_assert_eq(xy_inspect_draw_text(&p, &pop, "r", &a, &err), XY_ERR_INVALID);
	cr_assert(strstr(err.msg, "S0001") && strstr(err.msg, "仅 2 名") && strstr(err.msg, "需 3 名"),
		  "%s", err.msg);
	cr_assert_eq(a.len, 0, "nothing drawn");
	xy_buf_release(&a);
	xy_inspect_population_release(&pop);
	xy_inspect_plan_release(&p);
}

/* Whether inspector `name` may inspect subject `code` of `district`. */
static bool allowed(const xy_inspect_plan *p, const char *name, const char *code,
		    const char *district)
{
	for (size_t i = 0; i < p->npool; i++) {
		if (strcmp(p->pool[i].name, name) != 0)
			continue;
		for (size_t j = 0; j < p->pool[i].nlinks; j++)
			if (strcmp(p->pool[i].links[j], code) == 0)
				return false;
		return !(p->not_own_district && *district && strcmp(p->pool[i].district, district) == 0);
	}
	cr_assert_fail("unknown inspector %s", name);
	return false;
}

Test(inspect, conflicts_never_broken_over_1000_random_plans)
{
	unsigned seed = 12345;
	int refused = 0, drawn = 0;
	for (int round = 0; round < 1000; round++) {
		xy_buf js = XY_BUF_INIT, a = XY_BUF_INIT;
		xy_inspect_plan p;
		xy_inspect_population pop;
		size_t npool = 2 + rand_r(&seed) % 6, nsub = 1 + rand_r(&seed) % 30;
		size_t team = 1 + rand_r(&seed) % 3;
		xy_error e = XY_ERROR_INIT;
		xy_buf_addf(&js, "{\"name\":\"p%d\",\"unit\":\"u\",\"items\":[{\"item\":\"x\"}],"
				 "\"team_size\":%zu,\"not_own_district\":%s,\"inspectors\":[",
			    round, team < npool ? team : npool, rand_r(&seed) % 2 ? "true" : "false");
		for (size_t i = 0; i < npool; i++) {
			xy_buf_addf(&js, "%s{\"name\":\"i%zu\",\"district\":\"%s\",\"links\":[", i ? "," : "",
				    i, districts[rand_r(&seed) % 4]);
			for (int l = 0, nl = (int)(rand_r(&seed) % 4); l < nl; l++)
				xy_buf_addf(&js, "%s\"S%04u\"", l ? "," : "", 1 + rand_r(&seed) % (unsigned)nsub);
			xy_buf_addstr(&js, "]}");
		}
		xy_buf_addstr(&js, "]}");
		OK(xy_inspect_plan_parse(js.data, js.len, "random", &p, &err));
		population(&pop, nsub, "ABCD");
		if (xy_inspect_draw_text(&p, &pop, "r", &a, &e) == XY_ERR_INVALID) {
			refused++;
			cr_assert_eq(a.len, 0);
			cr_assert(strstr(e.msg, "无利益冲突的检查人员仅"), "%s", e.msg);
		} else {
			drawn++;
			for (char *line = strstr(a.data, "target\t"); line; line = strstr(line + 1, "\ntarget\t")) {
				char code[16], members_text[512], *tok, *save = NULL;
				size_t members = 0, si;
				if (*line == '\n')
					line++;
				cr_assert_eq(sscanf(line, "target\t%15[^\t]\t%*[^\t]\t%*[^\t]\t%511[^\n]", code, members_text), 2,
					     "%s", line);
				sscanf(code + 1, "%zu", &si);
				for (tok = strtok_r(members_text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
					cr_assert(allowed(&p, strchr(tok, ':') + 1, code, districts[(si - 1) % 4]),
						  "round %d: %s inspects %s", round, tok, code);
					members++;
				}
				cr_assert_eq(members, p.team_size, "no partial teams");
			}
		}
		xy_buf_release(&js);
		xy_buf_release(&a);
		xy_inspect_population_release(&pop);
		xy_inspect_plan_release(&p);
	}
	cr_assert(refused > 0 && drawn > 500, "refused %d drawn %d", refused, drawn);
}

/* The radix sort of a large population (lib/supervision/inspect.c) gives
 * strcmp's byte order: codes that tie on their first 16 bytes, codes that are
 * prefixes of others, bytes above 0x7f; and a parsed snapshot is the same. */
Test(inspect, sort_is_byte_order)
{
	xy_inspect_population p, q;
	char code[64];
	unsigned x = 7;
	memset(&p, 0, sizeof p);
	for (size_t i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		switch (i % 4) {
		case 0: snprintf(code, sizeof code, "9121080%011u", x % 100000000u); break;
		case 1: snprintf(code, sizeof code, "LONGPREFIX-ABCDEF-%u", x % 100000u); break;
		case 2: snprintf(code, sizeof code, "企业%u", x % 1000000u); break;
		default: snprintf(code, sizeof code, "S%u", x % 300u); break;
		}
		if (xy_inspect_population_add(&p, code, 'A', "站前区", false, &err))
			cr_assert_fail("add: %s", err.msg);
	}
	OK(xy_inspect_population_sort(&p, &err));
	cr_assert_eq(p.n, 5000);
	for (size_t i = 1; i < p.n; i++)
		cr_assert(strcmp(p.v[i - 1].code, p.v[i].code) <= 0, "%s before %s", p.v[i - 1].code,
			  p.v[i].code);
	/* without the duplicates: sealed, parsed back to the same text */
	{
		size_t w = 1;
		for (size_t i = 1; i < p.n; i++)
			if (strcmp(p.v[w - 1].code, p.v[i].code) != 0)
				p.v[w++] = p.v[i];
		p.n = w;
	}
	OK(xy_inspect_population_seal(&p, &err));
	OK(xy_inspect_population_parse(p.text, strlen(p.text), &q, &err));
	cr_assert_str_eq(q.text, p.text);
	cr_assert_str_eq(q.digest, p.digest);
	cr_assert_eq(q.n, p.n);
	xy_inspect_population_release(&p);
	xy_inspect_population_release(&q);
}

/* The same with every byte value at every one of the first 16 positions (the
 * rank-coded keys would take 128 bits: the key holds the first 12 bytes in
 * its 96, across both words), codes of every length from 1 to 20, codes
 * that share those 12 bytes and differ after them (put in order by strcmp),
 * and duplicates, which keep the order they came in; a run of 1,200 codes
 * that share 12 bytes lies across the middle, where two and four threads
 * split the work.
 * On 1 to 4 threads the order is the same. */
static void wide_population(xy_inspect_population *p)
{
	char code[24], seq[16];
	unsigned x = 11;
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < 6000; i++) {
		size_t len = i % 3 == 0 ? 16 : 1 + i % 20;
		for (size_t j = 0; j < len; j++) {
			x = x * 1103515245u + 12345u;
			code[j] = (char)(1 + (x >> 16) % 255);
			if (code[j] == '\t' || code[j] == '\n' || code[j] == '\r')
				code[j] = 'T';
		}
		code[len] = '\0';
		if (i % 7 == 0 && i)
			snprintf(code, sizeof code, "DUP%zu", i % 5);
		else if (i % 11 == 5) /* 12 bytes in common, then 1 to 5 more */
			snprintf(code, sizeof code, "\xff\x01PREFIX1234%u", x % 100000u);
		else if (i % 5 == 2)
			snprintf(code, sizeof code, "\x80SAMESAMESAM%u", x % 1000u);
		snprintf(seq, sizeof seq, "%05zu", i);
		if (xy_inspect_population_add(p, code, 'A', seq, false, &err))
			cr_assert_fail("add: %s", err.msg);
	}
}

Test(inspect, sort_wide_keys_and_stable)
{
	xy_inspect_population p, q;
	wide_population(&p);
	OK(xy_inspect_population_sort_threads(&p, 1, &err));
	cr_assert_eq(p.n, 6000);
	for (size_t i = 1; i < p.n; i++) {
		int c = strcmp(p.v[i - 1].code, p.v[i].code);
		cr_assert(c < 0 || (c == 0 && strcmp(p.v[i - 1].district, p.v[i].district) < 0),
			  "subject %zu out of order", i);
	}
	for (unsigned t = 2; t <= 4; t++) {
		wide_population(&q);
		OK(xy_inspect_population_sort_threads(&q, t, &err));
		cr_assert_eq(q.n, p.n);
		for (size_t i = 0; i < p.n; i++)
			cr_assert(!strcmp(p.v[i].code, q.v[i].code) &&
					  !strcmp(p.v[i].district, q.v[i].district),
				  "%u threads: subject %zu differs", t, i);
		xy_inspect_population_release(&q);
	}
	xy_inspect_population_release(&p);
}

/* A duplicate is named: the first in code order, whatever order it came in. */
Test(inspect, duplicate_named_in_code_order)
{
	static const char *const codes[] = { "S0002", "S0002", "S0001", "S0001" };
	xy_inspect_population p;
	memset(&p, 0, sizeof p);
	for (size_t i = 0; i < 4; i++)
		OK(xy_inspect_population_add(&p, codes[i], 'B', "", false, &err));
	cr_assert_eq(xy_inspect_population_seal(&p, &err), XY_ERR_INVALID);
	cr_assert(strstr(err.msg, "“S0001”重复"), "%s", err.msg);
	xy_inspect_population_release(&p);
}

/* A snapshot text with a line twice or out of order is not canonical. */
Test(inspect, parse_refuses_duplicate_and_disorder)
{
	static const char *const texts[] = {
		"code\tgrade\tdistrict\tkey\nS1\tA\t\t0\nS1\tA\t\t0\n",
		"code\tgrade\tdistrict\tkey\nS2\tA\t\t0\nS1\tA\t\t0\n",
		"code\tgrade\tdistrict\tkey\nS1\tA\t\t0\r\n",
	};
	xy_inspect_population p;
	for (size_t i = 0; i < 3; i++) {
		cr_assert_neq(xy_inspect_population_parse(texts[i], strlen(texts[i]), &p, &err), XY_OK,
			      "text %zu", i);
	}
	OK(xy_inspect_population_parse(texts[0], strlen(texts[0]) - strlen("S1\tA\t\t0\n"), &p, &err));
	cr_assert_eq(p.n, 1);
	xy_inspect_population_release(&p);
}
