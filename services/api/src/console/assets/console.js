// Live progress of running exports on the DPO's queue: polls while a request is queued or
// running, and reloads the page when one becomes ready (its download links appear).
(() => {
  const queue = document.getElementById('queue');
  if (!queue) return;
  const pending = () =>
    [...queue.querySelectorAll('tr[data-request]')].filter((row) => {
      // The status as a word of the code (data-status); the cell's text is translated.
      const status = row.querySelector('.status')?.getAttribute('data-status') ?? '';
      return status === 'approved' || status === 'running';
    });
  const poll = async () => {
    if (pending().length === 0) return;
    const answer = await fetch('/console/requests/progress', {
      headers: { accept: 'application/json' },
    });
    if (!answer.ok) return;
    const { requests } = await answer.json();
    let finished = false;
    for (const r of requests) {
      const row = queue.querySelector(`tr[data-request="${r.requestId}"]`);
      if (!row) continue;
      const bar = row.querySelector('progress');
      if (bar) bar.value = r.progress;
      const cell = row.querySelector('.status');
      if (cell && cell.getAttribute('data-status') !== r.status) {
        if (r.status !== 'approved' && r.status !== 'running') finished = true;
        cell.setAttribute('data-status', r.status);
        cell.textContent = r.label;
      }
    }
    if (finished) window.location.reload();
    else setTimeout(poll, 2000);
  };
  setTimeout(poll, 1000);
})();

// After the identity provider's sign-in: follow the page's own link, so the browser sends
// the SameSite=Strict session cookie (a redirect chain from the provider would not).
(() => {
  const next = document.querySelector('a#continue[data-auto]');
  if (next) window.location.replace(next.getAttribute('href'));
})();
