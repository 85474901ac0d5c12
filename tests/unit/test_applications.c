/* Unit tests of online applications (lib/credit/applications.c): receipt
 * numbering, the secret, attachments told by their bytes, the limits, the
 * subject by its full code, refusals that store nothing, a failed
 * transaction that leaves no row.  Generated codes and names only. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinyong/applications.h"
#include "xinyong/codes.h"
#include "xinyong/repair.h"
#include "fixture.h"

#define CO "91210802MA0XYQA01T"
#define AG "11210800MAR7YF578P"
#define H "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW," \
	  "CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM," \
	  "CF_SXYZCD\n"
#define TAIL ",2027-12-31,营口市市场监督管理局," AG ",营口市市场监督管理局," AG ","

static xy_repairs rp;
static char ric[19], dir[300];
static int64_t rec_pub, rec_pub2, rec_old, rec_person;

static int64_t rec_id(const char *key)
{
	const xy_unit *u = xy_registry_unit(&reg, "市场监管局");
	const xy_category *c = xy_registry_category(&reg, "行政处罚");
	int64_t id = 0, subj = 0;
	OK(xy_store_record_find(st, u->id, c->id, key, &id, &subj, &err));
	return id;
}

static void setup(void)
{
	char csv[4096];
	xy_import_opts o;
	xy_batch bt;
	fx_open();
	memcpy(ric, "21080219900101123", 17);
	ric[17] = xy_ric_check_char(ric);
	ric[18] = '\0';
	snprintf(csv, sizeof csv,
		 H "营口申请测试有限公司,法人及非法人组织," CO ",,示例甲,,营市监罚〔2026〕1号,价格,"
		   "事实,依据,罚款,罚款1万元,2026-03-10" TAIL "一般\n"
		   "营口申请测试有限公司,法人及非法人组织," CO ",,示例甲,,营市监罚〔2026〕2号,价格,"
		   "事实,依据,罚款,罚款2万元,2026-03-12" TAIL "一般\n"
		   "营口申请测试有限公司,法人及非法人组织," CO ",,示例甲,,营市监罚〔2026〕9号,价格,"
		   "事实,依据,警告,警告,2026-03-11" TAIL "轻微\n"
		   "测试人员丙,自然人,,%s,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,"
		   "2026-03-13" TAIL "一般\n",
		 ric);
	memset(&o, 0, sizeof o);
	o.unit = "市场监管局";
	o.category = "行政处罚";
	o.report_dir = fx_dir;
	OK(xy_import_file(st, &reg, fx_write("cf.csv", csv), &o, &bt, &err));
	cr_assert_eq(bt.rejected, 0, "rows rejected");
	xy_batch_release(&bt);
	OK(xy_repairs_open(&rp, &cr, NULL, &err));
	rec_pub = rec_id("营市监罚〔2026〕1号");
	rec_pub2 = rec_id("营市监罚〔2026〕2号");
	rec_old = rec_id("营市监罚〔2026〕9号"); /* 轻微: three months, over by 2026-11-26 */
	rec_person = rec_id("营市监罚〔2026〕4号");
	snprintf(dir, sizeof dir, "%s/attachments", fx_dir);
}

static void teardown(void)
{
	xy_repairs_release(&rp);
	fx_close();
}

TestSuite(applications, .init = setup, .fini = teardown);

static const char *const ev[] = { "罚款缴纳凭证" };

static xy_application_in repair_in(int64_t rec)
{
	return (xy_application_in){ .kind = "repair", .record = rec, .subject = CO,
				    .applicant = "示例甲", .contact = "0417-1234567",
				    .reason = "已缴纳罚款并完成整改", .commitment = "本企业承诺依法经营",
				    .evidence = ev, .nevidence = 1 };
}

static xy_application_opts opts(void)
{
	return (xy_application_opts){ dir, NULL };
}

/* A file of n bytes starting with head (its size with the head). */
static const char *file_of(const char *name, const char *head, size_t hlen, size_t n)
{
	static char path[400];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", fx_dir, name);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(head, 1, hlen, f);
	for (size_t i = hlen; i < n; i++)
		fputc((int)(i * 7 % 251), f);
	fclose(f);
	return path;
}

/* Everything a refused application could have touched, as one string. */
static void snapshot(char *out, size_t n)
{
	xy_buf a = XY_BUF_INIT, o = XY_BUF_INIT;
	int64_t seq = -1;
	cr_assert_eq(xy_cases_json(&rp, "repair", false, NULL, &a, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_cases_json(&rp, "objection", false, NULL, &o, &err), XY_OK, "%s", err.msg);
	OK(xy_store_application_last_seq(st, "2026-11-26", &seq, &err));
	snprintf(out, n, "%lld %s %s", (long long)seq, a.data, o.data);
	xy_buf_release(&a);
	xy_buf_release(&o);
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

Test(applications, numbering_and_the_secret)
{
	xy_application_in in = repair_in(rec_pub);
	xy_application_opts o = opts();
	json_t *a = NULL, *b = NULL, *s = NULL;
	char secret[64];
	OK(xy_application_submit(&rp, &in, &o, &a, &err));
	cr_expect_str_eq(str(a, "receipt"), "XF20261126000001");
	cr_expect_str_eq(str(a, "filed_on"), "2026-11-26");
	cr_expect_str_eq(str(a, "kind"), "repair");
	cr_expect_eq(strlen(str(a, "secret")), 24, "120 bits in base32");
	cr_expect(json_is_string(json_object_get(a, "due")));
	in = (xy_application_in){ .kind = "objection", .record = rec_pub2, .subject = CO,
				  .applicant = "示例甲", .contact = "jia@example.com",
				  .reason = "罚款金额有误" };
	OK(xy_application_submit(&rp, &in, &o, &b, &err));
	cr_expect_str_eq(str(b, "receipt"), "YY20261126000002", "one sequence per day");
	cr_expect_str_neq(str(a, "secret"), str(b, "secret"));

	snprintf(secret, sizeof secret, "%s", str(a, "secret"));
	OK(xy_application_status(&rp, "XF20261126000001", secret, NULL, &s, &err));
	cr_expect_str_eq(str(s, "step"), "申请");
	cr_expect_str_eq(str(s, "status_zh"), "已提交，等待信用办受理");
	cr_expect(json_is_true(json_object_get(s, "open")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(s, "record"), "id")),
		     rec_pub);
	cr_expect_eq(json_array_size(json_object_get(s, "history")), 1);
	cr_expect_null(json_object_get(json_array_get(json_object_get(s, "history"), 0), "actor"),
		       "no actor in the public status");
	cr_expect_null(json_object_get(s, "contact"));
	cr_expect_null(json_object_get(s, "secret"));
	json_decref(s);

	/* a wrong secret, another application's, an unknown receipt: one answer */
	char msg[1024];
	secret[0] = secret[0] == 'A' ? 'B' : 'A';
	cr_expect_eq(xy_application_status(&rp, "XF20261126000001", secret, NULL, &s, &err),
		     XY_ERR_NOTFOUND);
	snprintf(msg, sizeof msg, "%s", err.msg);
	cr_expect_eq(xy_application_status(&rp, "XF20261126000001", str(b, "secret"), NULL, &s,
					   &err),
		     XY_ERR_NOTFOUND);
	cr_expect_str_eq(err.msg, msg);
	cr_expect_eq(xy_application_status(&rp, "XF20261126000099", str(a, "secret"), NULL, &s,
					   &err),
		     XY_ERR_NOTFOUND);
	cr_expect_str_eq(err.msg, msg);
	cr_expect_eq(xy_application_status(&rp, "XF20261126000001", "", NULL, &s, &err),
		     XY_ERR_NOTFOUND);
	cr_expect_str_eq(err.msg, msg);

	/* the status follows the case's steps */
	OK(xy_repair_accept(&rp, 1, NULL, "2026-11-26", "材料齐全", &err));
	OK(xy_application_status(&rp, "XF20261126000001", str(a, "secret"), NULL, &s, &err));
	cr_expect_str_eq(str(s, "step"), "受理");
	cr_expect_eq(json_array_size(json_object_get(s, "history")), 2);
	{
		char *t = json_dumps(s, 0);
		cr_expect(strstr(t, "材料齐全") == NULL, "no step text in the public status: %s", t);
		cr_expect(strstr(t, "信用办") == NULL, "no actor: %s", t);
		free(t);
	}
	json_decref(s);
	json_decref(a);
	json_decref(b);
}

Test(applications, attachments_by_their_bytes)
{
	xy_application_in in = repair_in(rec_pub);
	xy_application_opts o = opts();
	xy_app_file f[2];
	char p1[400], p2[400];
	json_t *a = NULL, *c, *root;
	xy_buf b = XY_BUF_INIT, path = XY_BUF_INIT;
	json_error_t jerr;
	XY_AUTO(xy_attachment_row, t);
	snprintf(p1, sizeof p1, "%s", file_of("a.pdf", "%PDF-1.4\n", 9, 3000));
	snprintf(p2, sizeof p2, "%s", file_of("b.png", "\x89PNG\r\n\x1a\n", 8, 500));
	f[0] = (xy_app_file){ "缴款凭证.pdf", p1 };
	f[1] = (xy_app_file){ "整改照片.png", p2 };
	in.files = f;
	in.nfiles = 2;
	OK(xy_application_submit(&rp, &in, &o, &a, &err));
	OK(xy_case_json(&rp, 1, NULL, &b, &err));
	root = json_loads(b.data, 0, &jerr);
	c = json_object_get(root, "application");
	cr_assert_not_null(c, "%s", b.data);
	cr_expect_str_eq(str(c, "receipt"), str(a, "receipt"));
	cr_expect_str_eq(str(c, "contact"), "0417-1234567");
	cr_expect_eq(json_array_size(json_object_get(c, "attachments")), 2);
	cr_expect_str_eq(str(json_array_get(json_object_get(c, "attachments"), 0), "type"),
			 "application/pdf");
	cr_expect_str_eq(str(json_array_get(json_object_get(c, "attachments"), 1), "type"),
			 "image/png");
	cr_expect_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(c, "attachments"), 0), "size")),
		     3000);
	OK(xy_application_attachment(st, dir, 1, 2, &t, &path, &err));
	cr_expect_str_eq(t.name, "整改照片.png");
	{
		struct stat sb;
		cr_assert_eq(stat(path.data, &sb), 0, "%s", path.data);
		cr_expect_eq(sb.st_size, 500);
		cr_expect(strstr(path.data, t.sha256) != NULL, "content-addressed");
	}
	cr_expect_eq(xy_application_attachment(st, dir, 1, 3, &t, &path, &err), XY_ERR_NOTFOUND);
	xy_buf_release(&b);
	xy_buf_release(&path);
	json_decref(root);
	json_decref(a);
}

Test(applications, refusals_store_nothing)
{
	xy_application_opts o = opts();
	xy_app_file f[6];
	char before[16384], after[16384], exe[400], big[400], pdf[400];
	json_t *a = NULL;
	xy_application_in in;
	char masked[32];

	snapshot(before, sizeof before);
	snprintf(exe, sizeof exe, "%s", file_of("setup.exe", "MZ\x90\0", 4, 200));
	snprintf(pdf, sizeof pdf, "%s", file_of("ok.pdf", "%PDF-1.7\n", 9, 100));
	snprintf(big, sizeof big, "%s",
		 file_of("big.pdf", "%PDF-1.7\n", 9, (size_t)XY_APP_MAX_FILE + 1));

	/* an .exe named .pdf: refused by its bytes, naming the file */
	in = repair_in(rec_pub);
	f[0] = (xy_app_file){ "发票.pdf", exe };
	in.files = f;
	in.nfiles = 1;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_FORMAT);
	cr_expect(strstr(err.msg, "发票.pdf") != NULL, "%s", err.msg);
	/* too large, too many */
	f[0] = (xy_app_file){ "big.pdf", big };
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_LIMIT);
	cr_expect(strstr(err.msg, "big.pdf") != NULL, "%s", err.msg);
	for (int i = 0; i < 6; i++)
		f[i] = (xy_app_file){ "ok.pdf", pdf };
	in.nfiles = 6;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_LIMIT);
	/* all together past 20 MiB */
	f[0] = f[1] = f[2] = (xy_app_file){ "nine.pdf",
					    file_of("nine.pdf", "%PDF-1.7\n", 9, 9u << 20) };
	in.nfiles = 3;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_LIMIT);
	cr_expect(strstr(err.msg, "20 MiB") != NULL, "%s", err.msg);
	f[0] = (xy_app_file){ "../x.pdf", pdf };
	in.nfiles = 1;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	in.nfiles = 0;

	/* the subject: masked, name only, another subject's code, unknown record */
	xy_id_public(ric, masked, sizeof masked);
	in = repair_in(rec_person);
	in.subject = masked;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	cr_expect_str_eq(err.field, "subject");
	in.subject = "测试人员丙";
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	in.subject = CO; /* a real code, not this record's subject */
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	cr_expect(strstr(err.msg, ric) == NULL && strstr(err.msg, "测试人员丙") == NULL,
		  "the record's subject is not disclosed: %s", err.msg);
	{
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", err.msg);
		in.record = 999999;
		cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
		/* the same words but the number the applicant typed */
		cr_expect(strstr(err.msg, "不符") && strstr(msg, "不符"), "%s / %s", err.msg, msg);
	}
	/* the record is not public (its 3 months ended) */
	in = repair_in(rec_old);
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	cr_expect(strstr(err.msg, "not public") != NULL, "%s", err.msg);
	/* contact, texts, kind */
	in = repair_in(rec_pub);
	in.contact = "call me";
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	cr_expect_str_eq(err.field, "contact");
	in.contact = "a@b";
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
	in.contact = "13800000000";
	in.commitment = NULL;
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_ARG);
	cr_expect_str_eq(err.field, "commitment");
	in = repair_in(rec_pub);
	in.kind = "appeal";
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_ARG);
	in = repair_in(rec_pub);
	{
		char *longname = malloc(400);
		memset(longname, 'x', 399);
		longname[399] = '\0';
		in.applicant = longname;
		cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_INVALID);
		cr_expect(strstr(err.msg, "100") != NULL, "names the limit: %s", err.msg);
		free(longname);
	}
	cr_expect_null(a);
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "nothing stored");
	struct stat sb;
	cr_expect(stat(dir, &sb) != 0, "no attachment written");
}

static int on_audit(void *ctx, const xy_audit_view *v)
{
	(void)v;
	++*(long *)ctx;
	return 0;
}

static long audit_count(void)
{
	xy_audit_filter f = { 0 };
	long n = 0;
	OK(xy_store_audit_list(st, &f, on_audit, &n, &err));
	return n;
}

Test(applications, a_failed_transaction_leaves_no_row)
{
	xy_application_in in = repair_in(rec_pub);
	xy_application_opts o = opts();
	xy_app_file f = { "a.pdf", NULL };
	char before[16384], after[16384];
	json_t *a = NULL;
	FILE *blocker;
	long audit_before = 0, audit_after = 0;
	f.path = file_of("a.pdf", "%PDF-1.4\n", 9, 100);
	in.files = &f;
	in.nfiles = 1;
	/* the attachments directory cannot be made: a file is in its place, so
	 * the attachment fails after the case and the application were inserted */
	blocker = fopen(dir, "w");
	cr_assert_not_null(blocker);
	fclose(blocker);
	audit_before = audit_count();
	snapshot(before, sizeof before);
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &a, &err), XY_ERR_IO);
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "rolled back");
	audit_after = audit_count();
	cr_expect_eq(audit_after, audit_before, "no audit entry");
	/* and the same application goes through once the directory can be made */
	unlink(dir);
	OK(xy_application_submit(&rp, &in, &o, &a, &err));
	cr_expect_str_eq(str(a, "receipt"), "XF20261126000001", "the number was not used");
	json_decref(a);
}

Test(applications, one_open_repair_per_record)
{
	xy_application_in in = repair_in(rec_pub);
	xy_application_opts o = opts();
	json_t *a = NULL, *b = NULL;
	OK(xy_application_submit(&rp, &in, &o, &a, &err));
	cr_expect_eq(xy_application_submit(&rp, &in, &o, &b, &err), XY_ERR_CONFLICT);
	cr_expect_null(b);
	/* a natural person's own record with the full 身份证号 */
	in = repair_in(rec_person);
	in.subject = ric;
	in.nevidence = 0;
	in.files = (xy_app_file[]){ { "凭证.jpg", file_of("p.jpg", "\xff\xd8\xff\xe0", 4, 64) } };
	in.nfiles = 1;
	OK(xy_application_submit(&rp, &in, &o, &b, &err));
	cr_expect_str_eq(str(b, "receipt"), "XF20261126000002");
	json_decref(a);
	json_decref(b);
}
