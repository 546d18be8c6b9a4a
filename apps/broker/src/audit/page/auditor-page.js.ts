/**
 * The auditor page's script (plain browser JavaScript, no build): sends the token or jti to
 * `POST trace` with the page's own credentials, draws the chain as SVG (domains as boxes, hops
 * inside them, arrows where the token crossed to another domain) and lists derived tokens.
 * Every value is set with textContent, never parsed as markup.
 */
export const AUDITOR_PAGE_JS = String.raw`
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var BOX_W = 350, GAP = 110, HOP_H = 96, TOP = 40;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function iso(seconds) {
    return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') : '-';
  }
  function short(value) {
    value = String(value);
    return value.length > 28 ? value.slice(0, 12) + '…' + value.slice(-8) : value;
  }

  function domainsOf(hops) {
    var order = [];
    var byIssuer = {};
    hops.forEach(function (hop) {
      if (!byIssuer[hop.iss]) { byIssuer[hop.iss] = { issuer: hop.iss, hops: [] }; order.push(byIssuer[hop.iss]); }
      byIssuer[hop.iss].hops.push(hop);
    });
    var last = hops[hops.length - 1];
    if (last && !byIssuer[last.aud]) { order.push({ issuer: last.aud, hops: [], audience: true }); }
    return order;
  }

  function drawChain(trace) {
    var hops = trace.ancestors.concat(trace.hop ? [trace.hop] : []);
    var verified = !!(trace.verification && trace.verification.verified);
    var domains = domainsOf(hops);
    var tallest = Math.max.apply(null, domains.map(function (d) { return Math.max(1, d.hops.length); }));
    var width = domains.length * BOX_W + (domains.length - 1) * GAP + 40;
    var height = TOP + 40 + tallest * HOP_H + 20;
    var svg = el('svg', { id: 'chain-picture', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img' });
    svg.appendChild(el('title', {}, 'Delegation chain across ' + domains.length + ' domains'));
    var defs = el('defs');
    var marker = el('marker', { id: 'head', markerWidth: 10, markerHeight: 8, refX: 9, refY: 4, orient: 'auto' });
    marker.appendChild(el('path', { d: 'M0,0 L10,4 L0,8 Z', fill: '#cf222e' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    domains.forEach(function (domain, k) {
      var x = 20 + k * (BOX_W + GAP);
      var g = el('g', { 'class': 'domain' + (domain.audience ? ' audience' : ''), 'data-issuer': domain.issuer });
      g.appendChild(el('rect', { x: x, y: TOP, width: BOX_W, height: 40 + Math.max(1, domain.hops.length) * HOP_H }));
      g.appendChild(el('text', { 'class': 'title', x: x + 12, y: TOP + 24 }, domain.issuer + (domain.audience ? '  (audience)' : '')));
      domain.hops.forEach(function (hop, i) {
        var y = TOP + 36 + i * HOP_H;
        var h = el('g', { 'class': 'hop', 'data-jti': hop.jti });
        h.appendChild(el('rect', { x: x + 8, y: y, width: BOX_W - 16, height: HOP_H - 8 }));
        var lines = [
          'hop ' + hop.index + '  jti ' + short(hop.jti),
          'actor ' + hop.actor + '  →  ' + short(hop.aud),
          'scope ' + hop.scope,
          iso(hop.iat) + ' .. ' + iso(hop.exp),
          verified ? '✔ verified (signature, binding, proof)' : '✘ NOT verified (decoded only)'
        ];
        lines.forEach(function (line, j) {
          h.appendChild(el('text', { x: x + 16, y: y + 17 + j * 16, 'class': j === 4 ? (verified ? 'verified' : 'unverified') : '' }, line));
        });
        g.appendChild(h);
      });
      svg.appendChild(g);
      if (k > 0) {
        var from = 20 + (k - 1) * (BOX_W + GAP) + BOX_W;
        var carrier = domains[k - 1].hops[domains[k - 1].hops.length - 1];
        svg.appendChild(el('path', { 'class': 'arrow', d: 'M' + from + ',' + (TOP + 20) + ' L' + (from + GAP - 4) + ',' + (TOP + 20) }));
        svg.appendChild(el('text', { 'class': 'arrow-label', x: from + 6, y: TOP + 12 }, carrier ? short(carrier.jti) : ''));
      }
    });
    return svg;
  }

  function derivedList(nodes, list) {
    nodes.forEach(function (node) {
      var e = node.event;
      var item = document.createElement('li');
      item.className = 'derived';
      item.dataset.jti = e.jti;
      item.textContent = 'jti ' + e.jti + '  actor ' + e.clientId + '  →  ' + e.data.aud + '  scope ' + e.data.scope +
        '  ' + iso(e.data.iat) + ' .. ' + iso(e.data.exp) + '  (log #' + e.seq + ')';
      if (node.children.length > 0) {
        var sub = document.createElement('ul');
        derivedList(node.children, sub);
        item.appendChild(sub);
      }
      list.appendChild(item);
    });
  }

  function show(trace) {
    var v = trace.verification;
    var verification = document.getElementById('verification');
    verification.textContent = v === null
      ? 'Looked up by (iss, jti): the hops come from ' + trace.sources.hop
      : v.verified
        ? 'Chain verified cryptographically as of ' + iso(v.asOf) + ': ' + v.covers
        : 'Chain NOT verified: ' + v.error.code + ' (invariant ' + v.error.invariant + '): ' + v.error.message;
    verification.className = v !== null && v.verified ? 'verified' : 'unverified';
    var chain = document.getElementById('chain');
    chain.replaceChildren(drawChain(trace));
    document.getElementById('chain-section').hidden = false;
    var derived = document.getElementById('derived');
    derived.replaceChildren();
    derivedList(trace.descendants, derived);
    if (trace.descendants.length === 0) {
      var none = document.createElement('li');
      none.textContent = 'none';
      derived.appendChild(none);
    }
    document.getElementById('derived-section').hidden = false;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('trace-form');
    var status = document.getElementById('status');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var input = document.getElementById('subject').value.trim();
      var iss = document.getElementById('iss').value.trim() || document.body.dataset.issuer;
      var body = input.split('.').length === 3 ? { token: input } : { iss: iss, jti: input };
      status.textContent = 'Tracing…';
      status.className = '';
      fetch('trace', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (!response.ok) { throw new Error(answer.error_description || answer.error || response.status); }
            return answer;
          });
        })
        .then(function (trace) { show(trace); status.textContent = 'Traced ' + trace.token.jti + ' at ' + trace.domain; status.dataset.done = 'true'; })
        .catch(function (error) { status.textContent = String(error.message || error); status.className = 'error'; status.dataset.done = 'true'; });
    });
  });
})();
`;
