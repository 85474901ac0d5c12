// 首页: search box, the latest 双公示, list counts, memoranda, the index chart.
import { api, el, fill, pageError, seg, subjectLink } from './common.js';
import { searchForm } from './searchform.js';

searchForm();

async function latest(category, listId, errId) {
	try {
		const v = await api(category === '行政许可' ? 'licensing' : 'penalties', { limit: 5 });
		fill(listId, v.items.length
			? v.items.map((it) => el('li', {}, subjectLink(it.subject),
				el('div', { class: 'meta' }, `${it.key} · ${it.unit} · ${it.decided_on}`)))
			: el('li', { class: 'status' }, '暂无公示信息'));
	} catch (e) {
		fill(listId);
		pageError(errId, e.message);
	}
}

async function lists() {
	try {
		const v = await api('lists');
		fill('list-counts', v.list_types.map((t) => el('li', { class: t.kind },
			el('a', { href: `lists.html?type=${seg(t.name)}` },
				el('strong', {}, String(t.active)),
				`${t.kind === 'red' ? '红名单' : '黑名单'} · ${t.name}`))));
	} catch (e) {
		pageError('lists-error', e.message);
	}
}

async function memoranda() {
	try {
		const v = await api('memoranda');
		fill('memo-list', v.memoranda.length
			? v.memoranda.map((m) => el('li', {},
				el('a', { href: `memoranda.html?doc=${seg(m.doc)}` }, m.title),
				el('div', { class: 'meta' }, `${m.doc} · ${m.measures} 项措施`)))
			: el('li', { class: 'status' }, '暂无备忘录'));
	} catch (e) {
		pageError('memo-error', e.message);
	}
}

const chart = document.getElementById('index-chart');
chart.addEventListener('error', () => {
	document.getElementById('index-figure').hidden = true;
	pageError('index-error', '暂无城市信用监测指数数据');
});

latest('行政许可', 'xk-list', 'xk-error');
latest('行政处罚', 'cf-list', 'cf-error');
lists();
memoranda();
