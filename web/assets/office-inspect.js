// 双随机抽查 (office-inspect.html): the inspection plans (GET
// /api/v1/inspection-plans), a plan registered from its JSON (POST
// /api/v1/inspection-plans: the plan file of `xinyong inspect plan add`) and
// a draw (POST /api/v1/inspection-plans/{id}/draws {random, subjects}); the
// draw's targets and results are public on inspections.html.  The forms are
// the admin's (the auditor's are disabled: the API would answer 403).
import { ApiError, el, fieldError, fill, pageError, table } from './common.js';
import { done, doneAfter, officePage, onSubmit, required } from './office-common.js';
import { get, send } from './session.js';

async function showPlans() {
	const v = await get('inspection-plans');
	fill('plans', v.plans.length ? table('', [
		{ label: '编号', cell: (p) => String(p.id) },
		{ label: '计划', cell: (p) => p.name },
		{ label: '检查单位', cell: (p) => p.unit },
		{ label: '登记时间', cell: (p) => p.created_at.replace('T', ' ').replace('Z', ' UTC') },
		{ label: 'SHA-256', cell: (p) => el('code', { title: p.sha256 }, `${p.sha256.slice(0, 12)}…`) },
	], v.plans) : el('p', { class: 'status' }, '还没有抽查计划。'));
	const t = document.querySelector('#plans table');
	if (t) t.id = 'plans-table';
	const select = document.getElementById('d-plan');
	const was = select.value;
	fill(select, v.plans.map((p) => el('option', { value: String(p.id) }, `${p.id} ${p.name}`)));
	if (was) select.value = was;
}

/** A refusal of the API about the JSON typed at input: its field named beside its reason. */
function refused(e, input) {
	if (!(e instanceof ApiError) || e.status !== 422) throw e;
	fieldError(input, e.field ? `${e.field}：${e.message}` : e.message);
}

onSubmit(document.getElementById('plan-form'), 'plan-error', {}, async (v) => {
	try {
		const p = await send('POST', '/api/v1/inspection-plans', JSON.parse(v.plan));
		await doneAfter('plan-result', `已登记抽查计划 ${p.id}：${p.name}（SHA-256 ${p.sha256.slice(0, 12)}…）。`, async () => {
			await showPlans();
			document.getElementById('d-plan').value = String(p.id);
		});
	} catch (e) {
		refused(e, 'p-json');
	}
}, (v) => {
	let p;
	try {
		p = JSON.parse(v.plan);
	} catch {
		return { 'p-json': v.plan.trim() ? '计划不是有效的 JSON' : '请填写计划（JSON）' };
	}
	return p && typeof p === 'object' && !Array.isArray(p) ? {} : { 'p-json': '计划须为 JSON 对象 {…}' };
});

/** The subjects typed one a line ("code" or "code,grade"): [{code, grade?}] or an error. */
function subjectsOf(text) {
	const out = [];
	const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
	for (const [i, line] of lines.entries()) {
		const [code, grade, extra] = line.split(/[,，\t]/).map((x) => x.trim());
		if (extra !== undefined || !code) return `第 ${i + 1} 行应为“主体代码”或“主体代码,等级”`;
		if (grade && !/^[A-Z]$/.test(grade)) return `第 ${i + 1} 行的等级“${grade}”应为一个大写字母（A、B、C、D）`;
		out.push(grade ? { code, grade } : { code });
	}
	return out.length ? out : '请填写抽查对象（一行一个主体代码）';
}

onSubmit(document.getElementById('draw-form'), 'draw-error', { random: 'd-random' }, async (v) => {
	let d;
	try {
		d = await send('POST', `/api/v1/inspection-plans/${encodeURIComponent(v.plan)}/draws`,
			{ random: v.random, subjects: subjectsOf(v.subjects) });
	} catch (e) {
		return refused(e, e instanceof ApiError && e.field === 'random' ? 'd-random' : 'd-subjects');
	}
	fill('draw-result', el('p', { role: 'status', id: 'draw-done' }, `第 ${d.id} 次抽取：${d.plan_name}，`
		+ `抽中 ${d.targets.length} 个主体（SHA-256 ${d.draw_sha256.slice(0, 12)}…）。`),
	el('p', {}, el('a', { href: `inspections.html?draw=${d.id}`, id: 'draw-link' }, '查看公示与核验')));
}, (v) => {
	const bad = required(v, { plan: ['d-plan', '抽查计划'], random: ['d-random', '公开随机数'] });
	const s = subjectsOf(v.subjects || '');
	if (typeof s === 'string') bad['d-subjects'] = s;
	return bad;
});

const s = await officePage();
if (s) {
	if (s.role !== 'admin')
		document.querySelectorAll('main form').forEach((f) =>
			f.querySelectorAll('input, select, textarea, button').forEach((e) => { e.disabled = true; }));
	await showPlans().catch((e) => pageError('insp-error', e.message));
}
