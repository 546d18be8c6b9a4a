import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { decodeJwt } from 'jose';
import { In, type Repository } from 'typeorm';
import {
  ChainError,
  decodeChain,
  MalformedChainError,
  verifyChain,
  type DecodedChain,
  type TrustStore,
} from '@baton/chain';
import type { LinkClaims } from '@baton/chain/protocol';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { invalidRequest } from '../oauth/oauth-error.js';
import { AUDIT_TRUST } from './audit-trust.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { auditEventView, type AuditEventView } from './audit-event.view.js';
import { readChainBounds } from './audit-log.reader.js';
import { traceHop, type TraceHop } from './trace-hop.js';

const MAX_DESCENDANTS = 1000;

/** A token derived here from another, with those derived from it (this domain's log). */
export interface DescendantNode {
  event: AuditEventView;
  children: DescendantNode[];
}

export interface ChainVerification {
  /** True when libs/chain verifyChain accepted the whole chain as of the token's `iat`. */
  verified: boolean;
  asOf: number;
  error?: { code: string; invariant: number; message: string; link?: number };
  covers: string;
}

/** One trace answer: what was asked, and each part with where it comes from. */
export interface TokenTrace {
  domain: string;
  token: { iss: string; jti: string };
  /** Present when a token was given: its chain, verified cryptographically. */
  verification: ChainVerification | null;
  /** Earlier tokens of the chain, oldest first. */
  ancestors: TraceHop[];
  /** The token itself as its own link describes it (null when only (iss, jti) was given and it is not ours). */
  hop: TraceHop | null;
  /** This domain's audit event for (iss, jti), when it issued the token. */
  record: AuditEventView | null;
  /** Tokens this domain derived from it, transitively. */
  descendants: DescendantNode[];
  sources: { ancestors: string; hop: string; record: string; descendants: string };
  logHead: { seq: number; hash: string };
}

const VERIFIED_COVERS =
  'every link and the token signed by a trusted issuer key (this domain from its key archive), continuity, one agent key, the agent hop proofs, attenuation, hash chaining, act nesting and depth (libs/chain verifyChain, as of the token iat)';
const FROM_LOG = "this domain's hash-chained audit log (run audit verify to check the whole log)";

/**
 * The auditor's traces. Ancestors come from the token's embedded chain, verified with
 * `@baton/chain`; the record and every descendant from this domain's audit log, joined on
 * `(iss, jti)`. Nothing here reaches another domain.
 */
@Injectable()
export class AuditTraceService {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(AUDIT_TRUST) private readonly trust: TrustStore,
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    @InjectRepository(IssuedTokenEntity) private readonly tokens: Repository<IssuedTokenEntity>,
  ) {}

  async byToken(token: string): Promise<TokenTrace> {
    const decoded = decodeOrRefuse(token);
    const hops = decoded.links.map((link, index) => traceHop(link.claims, index));
    const own = hops.at(-1);
    const iss = String(decoded.claims['iss']);
    const jti = String(decoded.claims['jti']);
    const verification = await this.verify(token, decoded);
    const basis = verification.verified
      ? 'the token embedded chain, verified cryptographically (see verification)'
      : 'the token embedded chain, decoded only: verification FAILED (see verification)';
    return this.trace(iss, jti, verification, hops.slice(0, -1), own ?? null, basis);
  }

  async byId(iss: string, jti: string): Promise<TokenTrace> {
    const row = iss === this.config.issuer ? await this.tokens.findOneBy({ jti }) : null;
    const links = row === null ? [] : (JSON.parse(row.links) as string[]);
    const hops = links.map((link, index) =>
      traceHop(decodeJwt(link) as unknown as LinkClaims, index),
    );
    return this.trace(
      iss,
      jti,
      null,
      hops.slice(0, -1),
      hops.at(-1) ?? null,
      'the links this domain stored with its token record, decoded only (give the token to have them verified)',
    );
  }

  private async trace(
    iss: string,
    jti: string,
    verification: ChainVerification | null,
    ancestors: TraceHop[],
    hop: TraceHop | null,
    chainBasis: string,
  ): Promise<TokenTrace> {
    const record = await this.events.findOneBy({ kind: 'token.issued', issuer: iss, jti });
    const head = await readChainBounds(this.events.manager);
    return {
      domain: this.config.issuer,
      token: { iss, jti },
      verification,
      ancestors,
      hop,
      record: record === null ? null : auditEventView(record),
      descendants: await this.descendants(iss, jti),
      sources: { ancestors: chainBasis, hop: chainBasis, record: FROM_LOG, descendants: FROM_LOG },
      logHead: { seq: head.headSeq, hash: head.headHash },
    };
  }

  private async verify(token: string, decoded: DecodedChain): Promise<ChainVerification> {
    const asOf = Number(decoded.claims['iat']);
    try {
      await verifyChain(token, {
        trust: this.trust,
        audience: String(decoded.claims['aud']),
        now: asOf,
        clockSkew: this.config.dpop.clockSkewSeconds,
        maxDepth: this.config.policy.maxChainDepth,
        allowUnchained: true,
      });
      return { verified: true, asOf, covers: VERIFIED_COVERS };
    } catch (error) {
      if (!(error instanceof ChainError)) {
        throw error;
      }
      return {
        verified: false,
        asOf,
        error: {
          code: error.code,
          invariant: error.invariant,
          message: error.message,
          ...(error.detail.link === undefined ? {} : { link: error.detail.link }),
        },
        covers: VERIFIED_COVERS,
      };
    }
  }

  /** Breadth-first over `(parent_issuer, parent_jti)`, bounded in count. */
  private async descendants(iss: string, jti: string): Promise<DescendantNode[]> {
    const roots: DescendantNode[] = [];
    const byKey = new Map<string, DescendantNode[]>([[`${iss} ${jti}`, roots]]);
    let frontier = [{ iss, jti }];
    let seen = 0;
    while (frontier.length > 0 && seen < MAX_DESCENDANTS) {
      const children = await this.events.find({
        where: { kind: 'token.issued', parentJti: In(frontier.map((node) => node.jti)) },
        order: { seq: 'ASC' },
        take: MAX_DESCENDANTS - seen,
      });
      frontier = [];
      for (const child of children) {
        const siblings = byKey.get(`${child.parentIssuer} ${child.parentJti}`);
        if (siblings === undefined || child.jti === null || child.issuer === null) {
          continue;
        }
        const node = { event: auditEventView(child), children: [] };
        siblings.push(node);
        byKey.set(`${child.issuer} ${child.jti}`, node.children);
        frontier.push({ iss: child.issuer, jti: child.jti });
        seen += 1;
      }
    }
    return roots;
  }
}

function decodeOrRefuse(token: string): DecodedChain {
  try {
    return decodeChain(token);
  } catch (error) {
    if (error instanceof MalformedChainError) {
      throw invalidRequest('token is not a Baton token', error.message);
    }
    throw error;
  }
}
