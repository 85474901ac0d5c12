// The search box (home and search pages): checked before it is sent, the
// error next to the field.
import { checkQuery, fieldError } from './common.js';

export function searchForm() {
	const form = document.getElementById('search-form');
	form.addEventListener('submit', (ev) => {
		const why = checkQuery(document.getElementById('q').value);
		fieldError('q', why);
		if (why) ev.preventDefault();
	});
}
