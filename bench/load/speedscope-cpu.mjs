// CPU by frame from a dotnet-trace "dotnet-sampled-thread-time" trace converted to speedscope
// (`dotnet-trace convert <trace> --format Speedscope`): keeps only the samples whose thread was running managed code
// (the CPU_TIME pseudo-frame), so waiting threads do not drown the profile, and prints each frame's exclusive and
// inclusive share of that time.   node bench/load/speedscope-cpu.mjs <file.speedscope.json> [N]
import { readFileSync } from 'node:fs';
const j = JSON.parse(readFileSync(process.argv[2], "utf8")); const N = +(process.argv[3] || 60);
const frames = j.shared.frames.map(f => f.name);
const incl = new Map(), excl = new Map(); let busy = 0, total = 0; const perThread = [];
for (const p of j.profiles) {
  const stack = []; let last = null, tb = 0;
  for (const e of p.events) {
    if (last !== null && stack.length) {
      const d = e.at - last; total += d;
      const top = frames[stack[stack.length - 1]]; const leaf = stack.length > 1 ? frames[stack[stack.length - 2]] : top;
      if (top === "CPU_TIME") {
        busy += d; tb += d;
        const seen = new Set();
        for (const f of stack) { const n = frames[f]; if (!seen.has(n)) { seen.add(n); incl.set(n, (incl.get(n) || 0) + d); } }
        excl.set(leaf, (excl.get(leaf) || 0) + d);
      }
    }
    last = e.at;
    if (e.type === 'O') stack.push(e.frame); else { const i = stack.lastIndexOf(e.frame); if (i >= 0) stack.length = i; }
  }
  perThread.push([p.name, tb.toFixed(0)]);
}
console.log('busy ms', busy.toFixed(0), 'of', total.toFixed(0));
console.log(perThread.filter(t => +t[1] > 0).map(t => t.join(' ')).join('\n'));
const show = (m, title) => { console.log('== ' + title); [...m].sort((a, b) => b[1] - a[1]).slice(0, N).forEach(([n, v]) => console.log((100 * v / busy).toFixed(1).padStart(6) + '% ' + n.slice(0, 150))); };
show(excl, 'exclusive'); show(incl, 'inclusive');
