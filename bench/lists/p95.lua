-- wrk script: every request carries the API key (env TOLLGATE_KEY); prints one line with p50/p95/p99 (ms), requests and non-2xx.
local key = os.getenv("TOLLGATE_KEY")
wrk.headers["X-Schematic-Api-Key"] = key
done = function(summary, latency, requests)
  io.write(string.format("p50=%.1f p95=%.1f p99=%.1f requests=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end
