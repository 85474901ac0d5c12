#!/usr/bin/env python3
"""Regenerate data/samples/: synthetic 双公示 files for `make run` and the tests.

Every name, code and document number here is generated (valid check characters, Yingkou
division codes) and belongs to no real company or person.  A few rows are deliberately bad.
The XLSX is produced by LibreOffice (soffice --headless --convert-to xlsx) from the CSV so that
it is a file real office software wrote.  Run from the repository root:
    python3 scripts/make-samples.py
"""
import csv, io, os, random, subprocess, tempfile, shutil

USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [pow(3, i, 31) for i in range(17)]
RIC_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
DIVS = ["210802", "210803", "210804", "210811", "210881", "210882"]


def org_check(body8):
    s = sum(USCC_ALPHA.index(c) if c.isalpha() else int(c) for c in body8) if False else \
        sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_W))
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc(rng, cat="91", div=None):
    div = div or rng.choice(DIVS)
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    body = "MA" + body[2:] if rng.random() < 0.7 else body
    first = cat + div + body + org_check(body) if all(c.isalnum() for c in body) else None
    s = sum(USCC_ALPHA.index(c) * w for c, w in zip(first, USCC_W))
    return first + USCC_ALPHA[(31 - s % 31) % 31]


def ric(rng):
    div = rng.choice(DIVS)
    y, m, d = rng.randint(1955, 1999), rng.randint(1, 12), rng.randint(1, 28)
    first = f"{div}{y:04d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    s = sum(int(c) * w for c, w in zip(first, RIC_W))
    return first + "10X98765432"[s % 11]


PLACES = ["辽滨", "渤海", "望海", "新港", "熊岳", "沙岗", "芦屯", "团山", "海星", "永安"]
TRADES = ["商贸", "建材", "食品", "物流", "机械", "餐饮", "化工", "汽车服务", "医药", "印刷"]
FORMS = ["有限公司", "有限责任公司", "经销部", "合作社"]
SURN = "王李张刘陈杨赵黄周吴"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"]


def company(rng):
    return f"营口{rng.choice(PLACES)}{rng.choice(TRADES)}{rng.choice(FORMS)}（示例）"


def person(rng):
    return rng.choice(SURN) + rng.choice(GIVEN) + rng.choice(GIVEN)


def penalties(rng):
    hdr = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "证件类型", "证件号码",
           "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
           "罚款金额（万元）", "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关",
           "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码"]
    organ = uscc(rng, "11", "210800")
    rows = []
    for i in range(1, 13):
        natural = i in (4, 9)
        name = person(rng) if natural else company(rng)
        m, d = rng.randint(1, 10), rng.randint(1, 28)
        rows.append([name, "自然人" if natural else "法人及非法人组织", "" if natural else uscc(rng),
                     "" if natural else person(rng), "身份证" if natural else "",
                     ric(rng) if natural else "",
                     f"营市监罚〔2019〕{i:03d}号", "违反产品质量管理规定",
                     "经查，当事人销售的商品标签标识不符合国家标准规定，货值金额较小，"
                     "当事人能够积极配合调查并主动改正。",
                     "《中华人民共和国产品质量法》第五十四条", "罚款", f"罚款人民币{i}千元整",
                     f"{i/10:.1f}", f"2019-{m:02d}-{d:02d}", f"2020-{m:02d}-{d:02d}",
                     f"2020-{m:02d}-{d:02d}", "营口市市场监督管理局", organ, "营口市市场监督管理局", organ])
    # Deliberately bad rows: a wrong check character, a missing 文书号, an impossible date.
    rows[2][2] = rows[2][2][:-1] + ("0" if rows[2][2][-1] != "0" else "1")
    rows[6][6] = ""
    rows[10][13] = "2019-02-30"
    return hdr, rows


def licences(rng, shared):
    hdr = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "行政许可决定文书名称",
           "行政许可决定文书号", "许可类别", "许可证书名称", "许可编号", "许可内容", "许可决定日期",
           "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码", "当前状态", "数据来源单位",
           "数据来源单位统一社会信用代码"]
    organ = uscc(rng, "11", "210800")
    rows = []
    for i in range(1, 11):
        m, d = rng.randint(1, 10), rng.randint(1, 28)
        rows.append([company(rng), "法人及非法人组织", uscc(rng), person(rng), "食品经营许可决定书",
                     f"营审批食许〔2019〕{i:04d}号", "普通", "食品经营许可证", f"JY2210800{i:06d}",
                     "预包装食品销售（含冷藏冷冻食品）", f"2019-{m:02d}-{d:02d}", f"2019-{m:02d}-{d:02d}",
                     f"2024-{m:02d}-{d - 1 if d > 1 else 1:02d}", "营口市行政审批局", organ, "有效",
                     "营口市行政审批局", organ])
    # The first licensee is also the first penalised company: its profile shows both.
    rows[0][0], rows[0][2] = shared
    rows[3][2] = "91210800MA0U1234I5"  # letter I is not in the USCC alphabet
    rows[7][6] = "特殊"               # not one of the 许可类别
    return hdr, rows


def main():
    rng = random.Random(2019)
    out = "data/samples"
    os.makedirs(out, exist_ok=True)
    hdr, rows = penalties(rng)
    shared = (rows[0][0], rows[0][2])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(hdr)
    w.writerows(rows)
    with open(f"{out}/市场监管局-行政处罚-2019-10.csv", "wb") as f:
        f.write(buf.getvalue().encode("gb18030"))
    hdr, rows = licences(rng, shared)
    tmp = tempfile.mkdtemp()
    src = os.path.join(tmp, "市审批局-行政许可-2019-10.csv")
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(hdr)
        w.writerows(rows)
    subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1,,2052,true,true",
                    "--convert-to", "xlsx", "--outdir", tmp, src], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.copy(src[:-4] + ".xlsx", out)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
