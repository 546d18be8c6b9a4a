/** The auditor page's document: a form, the chain picture, the derived tokens. No inline code (CSP). */
export function auditorPageHtml(issuer: string): string {
  const escaped = issuer.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Baton audit: ${escaped}</title>
<link rel="stylesheet" href="page.css">
<script src="page.js" defer></script>
</head>
<body data-issuer="${escaped}">
<header><h1>Baton audit</h1><p>Domain <code>${escaped}</code></p></header>
<form id="trace-form">
  <label for="subject">Token or jti</label>
  <textarea id="subject" rows="3" spellcheck="false" placeholder="eyJ... or a jti"></textarea>
  <label for="iss">Issuer of the jti (default: this domain)</label>
  <input id="iss" type="url" placeholder="${escaped}">
  <button type="submit">Trace</button>
</form>
<p id="status" role="status"></p>
<section id="chain-section" hidden>
  <h2>The chain</h2>
  <p id="verification"></p>
  <div id="chain"></div>
</section>
<section id="derived-section" hidden>
  <h2>Derived here</h2>
  <p class="source">From this domain's audit log.</p>
  <ul id="derived"></ul>
</section>
</body>
</html>
`;
}
