// 联合奖惩备忘录: the list (GET /api/v1/memoranda) or one with its measures
// (GET /api/v1/memoranda/{doc}).
import { SITE_NAME, api, arg, el, fill, pageError, seg, table } from './common.js';

const doc = arg('doc');

function listView(v) {
	return el('section', { class: 'panel', 'aria-labelledby': 'h-all' },
		el('h2', { id: 'h-all' }, `共 ${v.memoranda.length} 份备忘录`),
		v.memoranda.length ? el('ul', { class: 'plain' }, v.memoranda.map((m) => el('li', {},
			el('a', { href: `memoranda.html?doc=${seg(m.doc)}` }, m.title),
			el('div', { class: 'meta' }, `${m.doc} · ${m.date || ''} · 签署单位 ${(m.signatories || []).join('、')} · ${m.measures} 项措施`))))
			: el('p', {}, '无。'));
}

function oneView(m) {
	document.title = `${m.title} - ${SITE_NAME}`;
	return [el('section', { class: 'panel', 'aria-labelledby': 'h-memo' },
		el('h2', { id: 'h-memo' }, m.title),
		el('dl', { class: 'facts' },
			el('dt', {}, '文号'), el('dd', {}, m.doc),
			el('dt', {}, '日期'), el('dd', {}, m.date || ''),
			el('dt', {}, '签署单位'), el('dd', {}, (m.signatories || []).join('、')),
			el('dt', {}, '适用名单'), el('dd', {}, (m.list_types || []).join('、') || '无'),
			el('dt', {}, '来源'), el('dd', {}, m.source || '')),
		el('p', {}, el('a', { href: 'memoranda.html' }, '返回备忘录列表'))),
	el('section', { class: 'panel', 'aria-labelledby': 'h-measures' },
		el('h2', { id: 'h-measures' }, `奖惩措施（${m.measures.length} 项）`),
		table(null, [
			{ label: '序号', cell: (x) => String(x.number) },
			{ label: '措施', cell: (x) => x.text },
			{ label: '类型', cell: (x) => x.kind },
			{ label: '实施单位', cell: (x) => (x.units || []).join('、') },
			{ label: '对象', cell: (x) => (x.target || []).join('、') },
			{ label: '依据', cell: (x) => x.legal_basis || '' },
		], m.measures))];
}

async function main() {
	try {
		fill('memo', doc ? oneView(await api(`memoranda/${seg(doc)}`)) : listView(await api('memoranda')));
	} catch (e) {
		fill('memo');
		pageError('memo-error', e.status === 404 ? '没有这份备忘录' : e.message);
	}
}
main();
