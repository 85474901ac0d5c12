// 双随机、一公开 · 抽查结果公示: the published draws (GET /api/v1/inspection-draws)
// or one draw (?draw=ID: GET /api/v1/inspection-draws/{id}) with its targets
// (codes as the API gives them: persons masked), team sizes, results, the
// published inputs and 核验 (GET /api/v1/inspection-draws/{id}/verify), which
// recomputes the draw on the server from those inputs (docs/inspection.md).
import { SITE_NAME, api, arg, el, fill, pageError, seg, table } from './common.js';

const draw = arg('draw');
const hex = (s) => el('code', {}, s || '');
const drawHref = (d) => `inspections.html?draw=${seg(d.id)}`;

function listView(v) {
	return el('section', { class: 'panel', 'aria-labelledby': 'h-all' },
		el('h2', { id: 'h-all' }, `已公示的抽查（${v.draws.length} 次）`),
		el('p', { class: 'meta' }, '每次抽取由公开的输入决定：抽查计划、抽查对象名录的摘要和抽取前公布的随机数；任何人都可以核验。'),
		v.draws.length ? table(null, [
			{ label: '抽查计划', cell: (d) => el('a', { href: drawHref(d) }, d.plan_name) },
			{ label: '实施单位', cell: (d) => d.unit },
			{ label: '抽取时间', cell: (d) => d.drawn_at },
			{ label: '抽查对象', cell: (d) => `${d.targets} 户` },
			{ label: '公开随机数', cell: (d) => d.random },
			{ label: '抽取结果摘要（SHA-256）', cell: (d) => hex(d.draw_sha256) },
		], v.draws) : el('p', {}, '尚无公示的抽查。'));
}

const RESULT_NONE = '尚未录入';

function oneView(d) {
	document.title = `${d.plan_name} - 双随机、一公开 - ${SITE_NAME}`;
	const verdict = el('div', { id: 'verdict', 'aria-live': 'polite' });
	const button = el('button', { type: 'button', id: 'verify' }, '核验');
	button.addEventListener('click', async () => {
		button.disabled = true;
		fill(verdict, el('p', { class: 'status' }, '正在核验…'));
		try {
			const v = await api(`inspection-draws/${seg(d.id)}/verify`);
			fill(verdict, v.ok
				? el('p', { class: 'tag ok' }, '核验通过：由公开输入重新计算的抽取结果与公示的完全一致')
				: [el('p', { class: 'error', role: 'alert' }, '核验未通过，以下内容不一致：'),
					el('pre', { class: 'differences' }, v.differences)]);
		} catch (e) {
			fill(verdict, el('p', { class: 'error', role: 'alert' }, e.message));
		} finally {
			button.disabled = false;
		}
	});
	return [el('section', { class: 'panel', 'aria-labelledby': 'h-draw' },
		el('h2', { id: 'h-draw' }, d.plan_name),
		el('dl', { class: 'facts' },
			el('dt', {}, '实施单位'), el('dd', {}, d.unit),
			el('dt', {}, '抽取编号'), el('dd', {}, String(d.id)),
			el('dt', {}, '抽取时间'), el('dd', {}, d.drawn_at),
			el('dt', {}, '抽查对象'), el('dd', {}, `${d.targets.length} 户`)),
		el('p', {}, el('a', { href: 'inspections.html' }, '返回抽查列表'))),
	el('section', { class: 'panel', 'aria-labelledby': 'h-strata' },
		el('h2', { id: 'h-strata' }, '按信用等级抽取'),
		table(null, [
			{ label: '信用等级', cell: (s) => s.grade },
			{ label: '名录内', cell: (s) => String(s.in_scope) },
			{ label: '重点监管', cell: (s) => String(s.key) },
			{ label: '抽取比例', cell: (s) => `${s.ratio_bp / 100}%` },
			{ label: '随机抽取', cell: (s) => String(s.drawn) },
		], d.strata || [])),
	el('section', { class: 'panel', 'aria-labelledby': 'h-targets' },
		el('h2', { id: 'h-targets' }, '抽查对象与检查结果'),
		el('p', { class: 'meta' }, '检查人员随机组队，按规定只公开每组人数；自然人身份证号部分隐藏。'),
		d.targets.length ? el('div', { id: 'targets' }, table(null, [
			{ label: '主体代码', cell: (t) => t.code },
			{ label: '信用等级', cell: (t) => t.grade },
			{ label: '抽取方式', cell: (t) => t.kind },
			{ label: '检查组人数', cell: (t) => `${t.team_size} 人` },
			{ label: '检查结果', cell: (t) => t.result || RESULT_NONE },
			{ label: '录入时间', cell: (t) => t.recorded_at || '' },
		], d.targets)) : el('p', {}, '本次未抽中对象。')),
	el('section', { class: 'panel', 'aria-labelledby': 'h-inputs' },
		el('h2', { id: 'h-inputs' }, '公开输入与核验'),
		el('dl', { class: 'facts', id: 'inputs' },
			el('dt', {}, '抽查计划摘要'), el('dd', {}, hex(d.plan_sha256)),
			el('dt', {}, '对象名录摘要'), el('dd', {}, hex(d.population_sha256)),
			el('dt', {}, '公开随机数'), el('dd', {}, d.random),
			el('dt', {}, '抽取结果摘要'), el('dd', {}, hex(d.draw_sha256))),
		el('p', { class: 'meta' }, '核验：服务器仅用以上公开输入重新计算本次抽取，逐字节比对公示的抽取结果。'),
		button, verdict)];
}

async function main() {
	try {
		if (draw && !/^[1-9][0-9]*$/.test(draw)) throw Object.assign(new Error('抽取编号应为正整数'), { status: 400 });
		fill('insp', draw ? oneView(await api(`inspection-draws/${seg(draw)}`)) : listView(await api('inspection-draws')));
	} catch (e) {
		fill('insp');
		pageError('insp-error', e.status === 404 ? '没有这次抽取' : e.message);
	}
}
main();
