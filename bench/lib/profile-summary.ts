import type { CpuProfile } from './processes.js';

export interface ProfileSummary {
  /** Share of sampled time that was not idle. */
  busyShare: number;
  /** Self time by area, as shares of busy time, largest first. */
  areas: [string, number][];
  /** Heaviest functions by self time, as shares of busy time. */
  functions: [string, number][];
}

/** Where the main thread's time went: self time grouped by package or Node subsystem. */
export function summarizeProfile(profile: CpuProfile, top = 10): ProfileSummary {
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) {
      continue;
    }
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    if (area === 'idle') {
      idle += hits;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + hits);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}`;
    functions.set(name, (functions.get(name) ?? 0) + hits);
  }
  const busy = Math.max(1, total - idle);
  const shares = (map: Map<string, number>) =>
    [...map.entries()]
      .map(([name, hits]): [string, number] => [name, hits / busy])
      .sort((x, y) => y[1] - x[1])
      .slice(0, top);
  return {
    busyShare: busy / Math.max(1, total),
    areas: shares(areas),
    functions: shares(functions),
  };
}

function areaOf(url: string, functionName: string): string {
  if (functionName === '(idle)') {
    return 'idle';
  }
  if (functionName === '(garbage collector)') {
    return 'garbage collection';
  }
  if (url === '') {
    return functionName === '(program)' ? 'V8 / native (program)' : 'native';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) {
    return pkg[1];
  }
  const internal = /^node:internal\/([^/]+)/.exec(url);
  if (internal !== null) {
    return `node: ${internal[1]}`;
  }
  if (url.startsWith('node:')) {
    return url;
  }
  const ours = /\/(libs\/[^/]+|apps\/[^/]+)\//.exec(url);
  return ours === null ? 'other' : `baton ${ours[1]}`;
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.*)$/.exec(url);
  if (pkg !== null) {
    return pkg[1];
  }
  const ours = /\/dist\/(.*)$/.exec(url);
  return ours === null ? url.replace(/^node:internal\//, 'node:') : ours[1];
}
