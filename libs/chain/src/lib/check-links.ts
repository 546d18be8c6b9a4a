import { checkChainPath } from './chain-path.js';
import {
  ActMismatchError,
  AttenuationError,
  ContinuityError,
  KeyBindingError,
  LinkageError,
} from './errors.js';
import type { ActorClaim, LinkClaims } from '../protocol/index.js';
import { nestAct } from '../protocol/act.js';
import { isObject, parseScope } from './json.js';
import type { ChainedTokenClaims, ParsedLink } from './parse-chain.js';

const TOKEN_LINK_CLAIMS = ['iss', 'sub', 'aud', 'client_id', 'scope', 'iat', 'exp', 'jti'] as const;

/** Invariant 2: each link is addressed to the next issuer; the token repeats its own link; it is for us. */
export function checkContinuity(
  links: readonly ParsedLink[],
  token: ChainedTokenClaims,
  audience: readonly string[],
): void {
  for (let i = 0; i + 1 < links.length; i++) {
    const expected = links[i + 1].claims.iss;
    if (links[i].claims.aud !== expected) {
      throw new ContinuityError('ERR_CONTINUITY', 'link audience is not the next issuer', {
        link: i,
        claim: 'aud',
        expected,
        actual: links[i].claims.aud,
      });
    }
  }
  const last = links.length - 1;
  const own = links[last].claims;
  for (const claim of TOKEN_LINK_CLAIMS) {
    if (token[claim] !== own[claim]) {
      throw new ContinuityError('ERR_CONTINUITY', 'token does not match its own link', {
        link: last,
        claim,
        expected: own[claim],
        actual: token[claim],
      });
    }
  }
  // RFC 9068 §4: the resource (or next broker) must be the token's audience.
  if (!audience.includes(token.aud)) {
    throw new ContinuityError('ERR_AUDIENCE', 'token not issued for this audience', {
      claim: 'aud',
      expected: audience,
      actual: token.aud,
    });
  }
}

/** Invariant 3: one agent key (RFC 7800 `cnf.jkt`) from the first link to the token. */
export function checkKeyBinding(links: readonly ParsedLink[], token: ChainedTokenClaims): string {
  const jkt = links[0].claims.cnf.jkt;
  links.forEach((link, i) => {
    if (link.claims.cnf.jkt !== jkt) {
      throw new KeyBindingError('link bound to another key', {
        link: i,
        claim: 'cnf.jkt',
        expected: jkt,
        actual: link.claims.cnf.jkt,
      });
    }
  });
  if (token.cnf.jkt !== jkt) {
    throw new KeyBindingError('token bound to another key', {
      claim: 'cnf.jkt',
      expected: jkt,
      actual: token.cnf.jkt,
    });
  }
  return jkt;
}

/** Invariant 5: scope only narrows, expiry only shortens, the subject never changes. */
export function checkAttenuation(links: readonly ParsedLink[]): void {
  for (let i = 1; i < links.length; i++) {
    const previous = links[i - 1].claims;
    const current = links[i].claims;
    const allowed = new Set(parseScope(previous.scope));
    const widened = parseScope(current.scope).filter((s) => !allowed.has(s));
    if (widened.length > 0) {
      throw new AttenuationError('scope widened', {
        link: i,
        claim: 'scope',
        expected: [...allowed],
        actual: widened,
      });
    }
    if (current.exp > previous.exp) {
      throw new AttenuationError('expiry extended', {
        link: i,
        claim: 'exp',
        expected: previous.exp,
        actual: current.exp,
      });
    }
    if (current.sub !== previous.sub) {
      throw new AttenuationError('subject changed', {
        link: i,
        claim: 'sub',
        expected: previous.sub,
        actual: current.sub,
      });
    }
  }
}

/** Invariant 6: every link names the hash of the one before and consumed the previous token. */
export function checkLinkage(links: readonly ParsedLink[]): void {
  if (links[0].claims.prev !== undefined) {
    throw new LinkageError('first link names a predecessor', { link: 0, claim: 'prev' });
  }
  for (let i = 1; i < links.length; i++) {
    const previous = links[i - 1];
    const current = links[i].claims;
    if (current.prev !== previous.hash) {
      throw new LinkageError('link does not follow its predecessor', {
        link: i,
        claim: 'prev',
        expected: previous.hash,
        actual: current.prev,
      });
    }
    // The subject token consumed at this hop is the token the previous link was issued with.
    if (current.sbj?.iss !== previous.claims.iss || current.sbj.jti !== previous.claims.jti) {
      throw new LinkageError('link did not consume the previous token', { link: i, claim: 'sbj' });
    }
  }
}

/** The `act` claim the links imply: one level per exchange hop (a link with `sbj`), newest outermost. */
export function expectedAct(links: readonly LinkClaims[]): ActorClaim | undefined {
  return links.reduce<ActorClaim | undefined>(
    (act, link) =>
      link.sbj === undefined ? act : nestAct(act, { iss: link.iss, sub: link.client_id }),
    undefined,
  );
}

/** Invariant 7: the readable RFC 8693 `act` nesting states exactly the hops the links prove. */
export function checkActNesting(
  links: readonly ParsedLink[],
  act: unknown,
): ActorClaim | undefined {
  const verified = expectedAct(links.map((l) => l.claims));
  let expected: ActorClaim | undefined = verified;
  let actual: unknown = act;
  for (let level = 0; expected !== undefined || actual !== undefined; level++) {
    if (expected === undefined || !isObject(actual)) {
      throw new ActMismatchError('act nesting disagrees with the links', {
        claim: 'act',
        expected: expected?.iss,
        actual: level,
      });
    }
    const keys = Object.keys(actual).sort().join(',');
    const expectedKeys = expected.act === undefined ? 'iss,sub' : 'act,iss,sub';
    if (actual['iss'] !== expected.iss || actual['sub'] !== expected.sub || keys !== expectedKeys) {
      throw new ActMismatchError('act nesting disagrees with the links', {
        claim: 'act',
        expected: expected.iss,
        actual: actual['iss'],
      });
    }
    expected = expected.act;
    actual = actual['act'];
  }
  return verified;
}

/** Invariant 8: bounded depth, and no domain visited twice (a hop within one domain is allowed). */
export function checkDepth(links: readonly ParsedLink[], maxDepth: number): void {
  checkChainPath(
    links.map((link) => link.claims.iss),
    maxDepth,
  );
}
