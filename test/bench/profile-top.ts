/**
 * `node dist/test/bench/profile-top.js FILE.cpuprofile [--top 25]`
 *
 * Where a V8 CPU profile (node --cpu-prof) spent its time: the functions with the most self time
 * (time on the CPU in the function itself, not in what it calls), and the same summed per area
 * (a package under node_modules, a file of Kiji, Node's internals, GC). `npm run bench -- --cpu-prof
 * CASE` prints this for the server's profile of that case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fmt, intOption, parseOptions, REPO_ROOT, table } from './common';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The area a function belongs to: `pkg` for node_modules/pkg, the file for Kiji's code, `node:` internals, or V8's own entries. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return path.relative(REPO_ROOT, file);
}

function where(url: string, line: number): string {
  if (!url) return '';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  const short = modules >= 0 ? file.slice(modules + '/node_modules/'.length) : url.startsWith('node:') ? url : path.relative(REPO_ROOT, file);
  return `${short}:${line + 1}`;
}

/** Microseconds on the monotonic clock V8's profiles are timed with (CLOCK_MONOTONIC, as process.hrtime). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function and per area, as printable tables. With `window` (monotonic µs, see
 * monotonicUs), only the samples taken inside it count: the measured run without start-up and warm-up.
 */
export function summarizeProfile(file: string, top = 25, window?: { fromUs: number; toUs: number }): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inside = (at: number) => !window || (at >= window.fromUs && at <= window.toUs);
  let clock = profile.startTime;
  const takenAt = profile.samples.map((_, i) => (clock += profile.timeDeltas[i] ?? 0));
  const counted = window !== undefined && takenAt.some(inside);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attributing it to sample i is how DevTools does it.
  profile.samples.forEach((id, i) => {
    if (counted && !inside(takenAt[i])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const functions = new Map<string, { name: string; where: string; area: string; us: number }>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const key = `${functionName}|${url}|${lineNumber}`;
    const area = areaOf(url, functionName);
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where: where(url, lineNumber), area, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const pct = (us: number) => `${fmt((100 * us) / Math.max(1, total), 1)}%`;
  const ms = (us: number) => fmt(us / 1000);
  const span = counted ? 'during the measured run only' : window ? 'whole process (no sample fell inside the measured run)' : 'whole process';
  const lines = [
    `${path.basename(file)}: ${fmt((profile.endTime - profile.startTime) / 1e6, 1)} s recorded; ${span}: ${fmt(total / 1e6, 1)} s on the CPU, ${fmt(idle / 1e6, 1)} s idle`,
    '',
    `top ${top} functions by self time (% of CPU time):`,
    table(
      ['function', 'self ms', '%', 'where'],
      [...functions.values()]
        .sort((a, b) => b.us - a.us)
        .slice(0, top)
        .map((f) => [f.name, ms(f.us), pct(f.us), f.where]),
    ),
    '',
    'self time by area:',
    table(
      ['area', 'self ms', '%'],
      [...areas.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([a, us]) => [a, ms(us), pct(us)]),
    ),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  try {
    const args = process.argv.slice(2);
    const files = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
    const o = parseOptions(
      args.filter((a) => !files.includes(a)),
      { top: 'string' },
    );
    if (!files.length) throw new Error('usage: profile-top.js FILE.cpuprofile [--top 25]');
    for (const f of files) process.stdout.write(summarizeProfile(f, intOption(o.top, 25, 'top')) + '\n\n');
  } catch (error) {
    process.stderr.write(`profile-top: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
