// The search box of the home and search pages: built here (one source),
// checked before it is sent, the error next to the field.
import { checkQuery, el, fieldError, fill } from './common.js';

export function searchForm(value = '') {
	const form = el('form', { class: 'search', id: 'search-form', action: 'search.html',
		method: 'get', role: 'search', novalidate: true },
	el('div', { class: 'field' },
		el('label', { for: 'q' }, '查询主体'),
		el('input', { type: 'search', id: 'q', name: 'q', autocomplete: 'off',
			'aria-describedby': 'q-hint q-error', value }),
		el('p', { class: 'hint', id: 'q-hint' },
			'输入企业或组织名称（至少 2 个字）、统一社会信用代码，或本人身份证号'),
		el('p', { class: 'field-error', id: 'q-error' })),
	el('button', { type: 'submit', id: 'q-submit' }, '查询'));
	form.addEventListener('submit', (ev) => {
		const why = checkQuery(document.getElementById('q').value);
		fieldError('q', why);
		if (why) ev.preventDefault();
	});
	fill('search-box', form);
}
