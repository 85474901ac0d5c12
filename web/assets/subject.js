// 主体信用信息: GET /api/v1/subjects/{code} (the public view: masked 身份证号,
// published records only), records by category with their publication status,
// list entries active today, commitments, and the 信用报告 download; the
// subject's 信用等级 only when the office publishes grades (the profile then
// carries "grade": letter, date, model and its SHA-256 — docs/grading.md).
import { SITE_NAME, api, arg, el, factsList, fill, mayApply, pageError, seg, subjectLink, table } from './common.js';

const code = arg('code');

const STATUS_CLASS = { 公示中: 'ok', 异议处理中: 'warn' };
const CODE_TYPES = { uscc: '统一社会信用代码', ric: '身份证号', regno: '工商注册号', org: '组织机构代码' };

function identity(v) {
	const s = v.subject;
	document.title = `${s.name} - ${SITE_NAME}`;
	return el('section', { class: 'panel', 'aria-labelledby': 'h-name' },
		el('h1', { id: 'h-name' }, s.name),
		el('dl', { class: 'facts' },
			el('dt', {}, CODE_TYPES[s.code_type] || '代码'), el('dd', {}, s.code),
			el('dt', {}, '主体类别'), el('dd', {}, s.kind_zh),
			s.district ? [el('dt', {}, '所属地区'), el('dd', {}, s.district)] : null,
			el('dt', {}, '信息截至'), el('dd', {}, v.as_of)),
		el('p', { class: 'actions' }, el('a', { class: 'button', href: `/api/v1/subjects/${seg(code)}/report`,
			download: '' }, '下载信用报告（PDF）'),
		el('a', { href: 'verify.html' }, '核验信用报告'),
		el('a', { href: applyHref('objection') }, '提出异议'),
		el('a', { href: applyHref('repair') }, '申请信用修复')));
}

/** apply.html for this subject (and a record when given). */
const applyHref = (kind, r) => `apply.html?${new URLSearchParams({ code, kind, ...(r ? { record: r.id } : {}) })}`;

/** A record's 提出异议 and 申请信用修复, where they apply (mayApply). */
function recordActions(r) {
	if (!mayApply(r, 'objection')) return '';
	return el('span', { class: 'record-actions' },
		el('a', { href: applyHref('objection', r), 'aria-label': `对 ${r.key} 提出异议` }, '提出异议'),
		mayApply(r, 'repair')
			? el('a', { href: applyHref('repair', r), 'aria-label': `对 ${r.key} 申请信用修复` }, '申请信用修复') : null);
}

/** 信用等级, when the profile carries one (the office publishes grades). */
function grade(v) {
	const g = v.grade;
	if (!g) return null;
	return el('section', { class: 'panel', 'aria-labelledby': 'h-grade' },
		el('h2', { id: 'h-grade' }, '信用等级'),
		el('dl', { class: 'facts' },
			el('dt', {}, '等级'), el('dd', {}, el('strong', {}, g.grade)),
			el('dt', {}, '评定日期'), el('dd', {}, g.as_of),
			el('dt', {}, '分级模型'), el('dd', {}, g.model),
			el('dt', {}, '模型 SHA-256'), el('dd', {}, g.sha256)),
		el('p', { class: 'meta' }, '信用等级按分级分类监管的指标，由本平台已归集的信息计算，A 最好、D 最差；',
			'它决定“双随机、一公开”抽查的比例，不单独构成对主体的评价。', g.note));
}

function listStatus(v) {
	const entries = v.list_entries || [];
	return el('section', { class: 'panel', 'aria-labelledby': 'h-lists' },
		el('h2', { id: 'h-lists' }, '红黑名单状态'),
		entries.length ? table(`截至 ${v.as_of} 有效的名单`, [
			{ label: '名单', cell: (e) => [e.list_type] },
			{ label: '认定单位', cell: (e) => e.unit },
			{ label: '认定文号', cell: (e) => e.doc },
			{ label: '有效期', cell: (e) => `${e.from} 至 ${e.to || '长期'}` },
		], entries) : el('p', {}, `截至 ${v.as_of}，未列入红名单或黑名单。`));
}

function records(v) {
	const byCat = new Map();
	for (const r of v.records || []) {
		if (!byCat.has(r.category)) byCat.set(r.category, []);
		byCat.get(r.category).push(r);
	}
	const parts = [el('h2', { id: 'h-records' }, '信用记录')];
	if (!byCat.size) parts.push(el('p', {}, '无公示中的信用记录。'));
	for (const [cat, rs] of byCat) {
		parts.push(el('h3', {}, `${cat}（${rs.length} 条）`), table(null, [
			{ label: '文号/编号', cell: (r) => r.key },
			{ label: '报送单位', cell: (r) => r.unit },
			{ label: '决定日期', cell: (r) => r.decided_on || '' },
			{ label: '公示状态', cell: (r) => el('span', { class: `tag ${STATUS_CLASS[r.display] || ''}` }, r.display) },
			{ label: '详细信息', cell: (r) => Object.keys(r.data || {}).length
				? el('details', {}, el('summary', {}, '查看'), factsList(r.data))
				: '异议处理中，暂不展示' },
			{ label: '申请', cell: recordActions },
		], rs));
	}
	if (v.hidden) parts.push(el('p', { class: 'meta' },
		`另有 ${v.hidden} 条记录已期满、已修复或不予公示，按规定不在此展示。`));
	return el('section', { class: 'panel', 'aria-labelledby': 'h-records' }, parts);
}

function commitments(v) {
	const cs = v.commitments || [];
	return el('section', { class: 'panel', 'aria-labelledby': 'h-commit' },
		el('h2', { id: 'h-commit' }, '信用承诺'),
		cs.length ? table(null, [
			{ label: '承诺编号', cell: (c) => c.no },
			{ label: '承诺类型', cell: (c) => c.type },
			{ label: '承诺事项', cell: (c) => c.matter },
			{ label: '受理单位', cell: (c) => c.unit },
			{ label: '日期', cell: (c) => c.date },
			{ label: '状态', cell: (c) => c.status_zh || c.status },
		], cs) : el('p', {}, '无。'));
}

async function main() {
	if (!code) {
		pageError('subject-error', '缺少主体代码，请从信用查询进入');
		fill('subject');
		return;
	}
	try {
		const v = await api(`subjects/${seg(code)}`);
		fill('subject', identity(v), grade(v), listStatus(v), records(v), commitments(v));
	} catch (e) {
		const matches = e.body && e.body.matches;
		pageError('subject-error', e.status === 404 ? '未找到该主体' : e.message);
		fill('subject', matches && matches.length ? el('section', { class: 'panel' },
			el('h2', {}, '请选择主体'), el('ul', { class: 'plain' },
				matches.map((m) => el('li', {}, subjectLink(m), el('span', { class: 'meta' }, ` ${m.kind_zh || ''} ${m.code}`)))))
			: []);
	}
}
main();
