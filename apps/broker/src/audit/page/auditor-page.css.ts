/** The auditor page's style sheet. */
export const AUDITOR_PAGE_CSS = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #fafafa; }
header h1 { margin: 0; font-size: 1.5rem; }
form { display: grid; gap: 0.4rem; max-width: 56rem; margin: 1rem 0; }
textarea, input { font-family: ui-monospace, monospace; font-size: 0.85rem; padding: 0.4rem; }
button { justify-self: start; padding: 0.4rem 1.2rem; }
#status.error { color: #b00020; }
.verified { color: #116329; font-weight: 600; }
.unverified { color: #b00020; font-weight: 600; }
svg { background: #fff; border: 1px solid #d0d7de; max-width: 100%; height: auto; }
svg .domain rect { fill: #eef4ff; stroke: #0969da; stroke-width: 2; rx: 8; }
svg .domain.audience rect { fill: #f6f8fa; stroke-dasharray: 6 4; }
svg .domain .title { font-weight: 700; font-size: 14px; }
svg .hop rect { fill: #fff; stroke: #8c959f; }
svg text { font-size: 12px; fill: #1b1f24; }
svg .arrow { stroke: #cf222e; stroke-width: 2; fill: none; marker-end: url(#head); }
svg .arrow-label { fill: #cf222e; font-size: 11px; }
#derived, #derived ul { list-style: none; padding-left: 1.2rem; border-left: 2px solid #d0d7de; }
#derived li { margin: 0.4rem 0; font-family: ui-monospace, monospace; font-size: 0.85rem; }
.source { color: #57606a; font-size: 0.85rem; }
`;
