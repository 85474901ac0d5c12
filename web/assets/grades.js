// 信用分级分类 (grades.html): the latest grading run (GET /api/v1/grade-runs),
// the distribution of each subject's latest grade (GET /api/v1/grade-counts:
// the library counts and computes the shares, not this page), the subjects
// of a grade 20 a page by the API's keyset cursor (GET /api/v1/grades?grade=
// &limit=&after=), and one subject's explanation — every contributing record,
// list entry and commitment check with its points, which add up to the score —
// with its history (GET /api/v1/subjects/{code}/grade and …/grades); and
// whether the public sees grades (GET /api/v1/grade-publication), which the
// admin switches (PUT, audited as grade.publish) and the auditor only sees.
import { ApiError, arg, el, fieldError, fill, pageError, pager, seg, subjectHref, table } from './common.js';
import { officePage } from './office-common.js';
import { get, send } from './session.js';

const PAGE = 20;
const GRADES = ['A', 'B', 'C', 'D']; // the default model's; a model's other grades are added
const KINDS = { start: '起始分', record: '信用记录', entry: '名单', commitment_check: '承诺核查',
	limit: '分组上下限', rounding: '舍入', force: '强制等级' };
const two = (x) => Number(x).toFixed(2);
const signed = (x) => (x > 0 ? `+${two(x)}` : x < 0 ? two(x) : '0.00');
const utc = (t) => String(t || '').replace('T', ' ').replace('Z', ' UTC');
const sha = (s) => el('code', { title: s }, `${s.slice(0, 12)}…`);
/** A group's or indicator's name from the run's model, its code in the title; the code alone
 * when the model gave no name; — for none. */
const named = (name, code) => (name ? el('span', { title: code }, name) : code || '—');

/** The newest run: model, its SHA-256 shortened, date, subjects. */
function showRun(runs) {
	if (!runs.length) return fill('run', el('p', { class: 'status', id: 'run-none' },
		'尚未进行信用分级（由信用办以 xinyong grade run 运行）。'));
	const r = runs[0];
	const facts = [['评价批次', `第 ${r.id} 次${r.batch ? `（增量：导入批次 ${r.batch} 涉及的主体）` : ''}`],
		['评价基准日', r.as_of], ['评价主体数', `${r.subjects} 个`], ['评价模型', r.model],
		['模型 SHA-256', sha(r.sha256)], ['运行时间', utc(r.at)], ['历次评价', `${runs.length} 次`]];
	fill('run', el('dl', { class: 'facts', id: 'run-facts' },
		facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

/** The publication setting p (GradePublication): its state and last change; for
 * the admin a button that turns it the other way, then shows the answer. */
function showPublication(p, admin) {
	const state = el('p', { id: 'pub-state', role: 'status' },
		p.public ? '信用等级已向社会公开。' : '信用等级未向社会公开。',
		p.changed_at ? ` 最近由 ${p.changed_by} 于 ${utc(p.changed_at)} 更改。` : '');
	if (!admin) return fill('pub', state, el('p', { class: 'meta' }, '只有信用办管理员可以更改此设置。'));
	const button = el('button', { type: 'button', id: 'pub-switch' },
		p.public ? '停止公开信用等级' : '向社会公开信用等级');
	button.addEventListener('click', async () => {
		button.disabled = true;
		pageError('pub-error', '');
		try {
			showPublication(await send('PUT', '/api/v1/grade-publication', { public: !p.public }), admin);
		} catch (e) {
			button.disabled = false;
			pageError('pub-error', e instanceof ApiError ? e.message : '页面出错，请刷新重试');
		}
	});
	return fill('pub', state, button);
}

/** A bar as wide as share (percent), drawn with CSS; the figures are text beside it. */
function bar(share) {
	const inner = el('span', { class: 'share-fill' });
	inner.style.width = `${Math.max(0, Math.min(100, share))}%`; // CSSOM: allowed by the CSP
	return el('span', { class: 'share-bar', 'aria-hidden': 'true' }, inner);
}

/** The distribution by grade: count, share and bar; each grade filters the list. */
function showCounts(c, onGrade) {
	const by = new Map(c.grades.map((g) => [g.grade, g]));
	const letters = [...new Set([...GRADES, ...by.keys()])].sort();
	const rows = letters.map((g) => by.get(g) || { grade: g, subjects: 0, share: 0 });
	const select = document.getElementById('grade');
	for (const g of letters)
		if (![...select.options].some((o) => o.value === g)) select.append(el('option', { value: g }, `${g} 级`));
	if (!c.total) return fill('dist', el('p', { class: 'status' }, '还没有主体被评价。'));
	fill('dist', table(`共 ${c.total} 个主体`, [
		{ label: '等级', cell: (g) => {
			const a = el('a', { href: `?grade=${g.grade}`, 'data-grade': g.grade }, `${g.grade} 级`);
			a.addEventListener('click', (ev) => { ev.preventDefault(); onGrade(g.grade); });
			return a;
		} },
		{ label: '主体数', cell: (g) => el('span', { class: 'dist-count', 'data-grade': g.grade }, String(g.subjects)) },
		{ label: '占比', cell: (g) => `${two(g.share)}%` },
		{ label: '分布', cell: (g) => bar(g.share) },
	], rows));
	document.querySelector('#dist table').id = 'dist-table';
}

/** One subject's explanation and history under 评分说明. */
async function explain(code, focus) {
	fieldError('code', '');
	document.getElementById('code').value = code;
	fill('explain', el('p', { class: 'status' }, '正在加载…'));
	fill('history', '');
	let g;
	let h;
	try {
		[g, h] = await Promise.all([get(`subjects/${seg(code)}/grade`), get(`subjects/${seg(code)}/grades`)]);
	} catch (e) {
		fill('explain', '');
		if (e instanceof ApiError && e.status === 404) fieldError('code', '没有这个主体，或该主体尚未评价');
		else fieldError('code', e.message);
		return;
	}
	history.replaceState(null, '', here({ ...gradeArg(), code }));
	const facts = [['主体', el('a', { href: subjectHref(g.subject.code) }, g.subject.name)],
		['主体代码', g.subject.code],
		['信用等级', el('strong', { id: 'explain-grade' }, `${g.grade} 级${g.forced ? '（由规则强制）' : ''}`)],
		['总分', el('strong', { id: 'explain-score' }, two(g.score))],
		['评价', `第 ${g.run.id} 次，基准日 ${g.run.as_of}，模型 ${g.run.model}`]];
	fill('explain', el('dl', { class: 'facts', id: 'explain-facts' },
		facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
	table('评分构成：各项得分之和等于总分（分组按权重折算）', [
		{ label: '类型', cell: (i) => KINDS[i.kind] || i.kind },
		{ label: '分组', cell: (i) => named(i.group_name, i.group) },
		{ label: '指标', cell: (i) => named(i.indicator_name, i.indicator) },
		{ label: '依据', cell: (i) => i.label || '—' },
		{ label: '日期', cell: (i) => i.on || '—' },
		{ label: '得分', cell: (i) => el('span', { class: 'points' }, signed(i.points)) },
		{ label: '说明', cell: (i) => i.note || '' },
	], g.items));
	document.querySelector('#explain table').id = 'explain-items';
	fill('history', el('h3', {}, '历次评价'), table('', [
		{ label: '评价批次', cell: (x) => `第 ${x.run.id} 次` },
		{ label: '基准日', cell: (x) => x.run.as_of },
		{ label: '等级', cell: (x) => x.grade },
		{ label: '分数', cell: (x) => two(x.score) },
		{ label: '模型', cell: (x) => x.run.model },
	], h.history));
	document.querySelector('#history table').id = 'history-table';
	if (focus) document.getElementById('h-explain').focus();
}

const gradeArg = () => {
	const g = document.getElementById('grade').value;
	return g ? { grade: g } : {};
};

/** This page's address with params (the chosen grade, the subject shown). */
const here = (params) => {
	const q = new URLSearchParams(params).toString();
	return q ? `?${q}` : location.pathname;
};

/** The subjects of the chosen grade, a keyset page at a time (common.js pager). */
function subjects() {
	return pager('list-pager', async (after) => {
		let v;
		const grade = document.getElementById('grade').value;
		try {
			v = await get('grades', { grade, limit: PAGE, after });
		} catch (e) {
			pageError('grades-error', e.message);
			return null;
		}
		fill('list-status', v.subjects.length ? `${grade ? `${grade} 级` : '全部等级'}主体，按主体编号排列`
			: `没有${grade ? `${grade} 级` : ''}主体。`);
		fill('list', v.subjects.length ? table('', [
			{ label: '主体代码', cell: (x) => {
				const a = el('a', { href: here({ ...gradeArg(), code: x.subject.code }) }, x.subject.code);
				a.addEventListener('click', (ev) => { ev.preventDefault(); explain(x.subject.code, true); });
				return a;
			} },
			{ label: '名称', cell: (x) => x.subject.name },
			{ label: '等级', cell: (x) => x.grade },
			{ label: '分数', cell: (x) => two(x.score) },
			{ label: '基准日', cell: (x) => x.run.as_of },
		], v.subjects) : null);
		const t = document.querySelector('#list table');
		if (t) t.id = 'list-table';
		return v.next;
	});
}

const s = await officePage();
if (s) {
	const list = subjects();
	const pick = (g) => {
		document.getElementById('grade').value = g;
		history.replaceState(null, '', here(gradeArg()));
		pageError('grades-error', '');
		list.reset();
	};
	document.getElementById('filter-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		pick(document.getElementById('grade').value);
	});
	document.getElementById('code-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		const code = document.getElementById('code').value.trim();
		if (!code) return fieldError('code', '请填写主体代码');
		explain(code, false);
	});
	try {
		const [runs, counts] = await Promise.all([get('grade-runs'), get('grade-counts')]);
		showRun(runs.runs);
		showCounts(counts, pick);
	} catch (e) {
		fill('run', '');
		pageError('grades-error', e.message);
	}
	try {
		showPublication(await get('grade-publication'), s.role === 'admin');
	} catch (e) {
		fill('pub', '');
		pageError('pub-error', e.message);
	}
	if (/^[A-Z]$/.test(arg('grade'))) document.getElementById('grade').value = arg('grade');
	await list.reset();
	if (arg('code')) await explain(arg('code'), false);
}
