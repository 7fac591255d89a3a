// The share of a frame in a speedscope CPU profile (as speedscope-cpu.mjs counts it: samples running managed code), and
// which callers it was reached from.  node bench/load/speedscope-callers.mjs <file.speedscope.json> "<regex of a frame>" [depth]
import { readFileSync } from 'node:fs';
const j = JSON.parse(readFileSync(process.argv[2], "utf8")); const re = new RegExp(process.argv[3]); const depth = +(process.argv[4] || 3);
const frames = j.shared.frames.map(f => f.name);
const agg = new Map(); let busy = 0, hit = 0;
for (const p of j.profiles) {
  const stack = []; let last = null;
  for (const e of p.events) {
    if (last !== null && stack.length) {
      const d = e.at - last;
      if (frames[stack[stack.length - 1]] === "CPU_TIME") {
        busy += d;
        let i = -1; for (let k = stack.length - 1; k >= 0; k--) if (re.test(frames[stack[k]])) { i = k; break; }
        if (i >= 0) { hit += d; const key = stack.slice(Math.max(0, i - depth), i).map(f => frames[f].replace(/\(.*$/, '').slice(-90)).join(' <- '); agg.set(key, (agg.get(key) || 0) + d); }
      }
    }
    last = e.at;
    if (e.type === 'O') stack.push(e.frame); else { const i = stack.lastIndexOf(e.frame); if (i >= 0) stack.length = i; }
  }
}
console.log('matched', (100 * hit / busy).toFixed(1) + '%');
[...agg].sort((a, b) => b[1] - a[1]).slice(0, 15).forEach(([k, v]) => console.log((100 * v / busy).toFixed(1).padStart(6) + '% ' + k.split(' <- ').reverse().join(' -> ')));
