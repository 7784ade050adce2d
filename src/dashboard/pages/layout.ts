// The HTML shell every dashboard page shares: navigation, the server picker, the CSRF token the
// page's script sends back with mutations, and the page's own ES module. Pages render their data
// client-side from the JSON API, so the shell holds no moderation data and no inline script or
// style (the Content-Security-Policy forbids both).
import { escapeHtml } from '../markdown.js';

export const NAV = [
  { path: '/dashboard/', id: 'overview', title: 'Overview' },
  { path: '/dashboard/review', id: 'review', title: 'Review queue' },
  { path: '/dashboard/policies', id: 'policies', title: 'Policies' },
  { path: '/dashboard/model', id: 'model', title: 'Model' },
  { path: '/dashboard/try', id: 'try', title: 'Try it' },
] as const;

export type PageId = (typeof NAV)[number]['id'];

export interface LayoutOptions {
  page: PageId;
  user: string;
  csrf: string;
  body: string;
  /** Extra classic scripts (vendored libraries) loaded before the page module. */
  vendor?: string[];
}

export function layout(o: LayoutOptions): string {
  const title = NAV.find((n) => n.id === o.page)?.title ?? 'Dashboard';
  const nav = NAV.map((n) => `<a href="${n.path}"${n.id === o.page ? ' class="active" aria-current="page"' : ''}>${n.title}</a>`).join('');
  const vendor = (o.vendor ?? []).map((v) => `<script src="/dashboard/vendor/${escapeHtml(v)}"></script>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(o.csrf)}">
<title>${title} · toxguard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/static/dashboard.css">
${vendor}
<script type="module" src="/dashboard/static/${o.page}.js"></script>
</head>
<body data-page="${o.page}">
<header class="top">
  <span class="brand">toxguard</span>
  <nav>${nav}</nav>
  <label class="server-pick">Server <select id="server" aria-label="Server"></select></label>
  <form method="post" action="/dashboard/logout" class="logout">
    <input type="hidden" name="_csrf" value="${escapeHtml(o.csrf)}">
    <span class="user" title="Decisions and edits are recorded under this name">${escapeHtml(o.user)}</span>
    <button type="submit">Log out</button>
  </form>
</header>
<main id="main">
<h1>${title}</h1>
<p id="status" class="status" role="status" aria-live="polite"></p>
${o.body}
</main>
</body>
</html>`;
}

export function loginPage(o: { error?: string; next: string; passwordSet: boolean; status?: number }): string {
  const notice = o.passwordSet
    ? ''
    : '<p class="error">No dashboard password is set. Set <code>TOXGUARD_DASHBOARD_PASSWORD</code> (environment or secrets file) and restart toxguard.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · toxguard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/static/dashboard.css">
</head>
<body class="login">
<main>
<h1>toxguard moderator dashboard</h1>
${notice}
${o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="/dashboard/login" id="login-form">
  <input type="hidden" name="next" value="${escapeHtml(o.next)}">
  <label>Your name <small>(recorded with your decisions)</small><input name="name" autocomplete="username" maxlength="64"></label>
  <label>Password<input name="password" type="password" autocomplete="current-password" required autofocus></label>
  <button type="submit">Log in</button>
</form>
</main>
</body>
</html>`;
}
