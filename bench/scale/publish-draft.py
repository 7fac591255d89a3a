#!/usr/bin/env python3
"""Makes a draft of a generated store's Pro plan whose monthly API-call limit is lowered (so that the publish page's
dry run has companies over the new limit to count), and prints the `--page` arguments of the `pages` command for the
publish page, its dry run (`?handler=Impact`), an add-on's versions page, the Pro versions page and the diff of Pro's
published version and the draft:
    bench/scale/publish-draft.py http://127.0.0.1:5301 [limit]
The key is the generated store's default secret key (ScaleStore.DefaultKey) unless TOLLGATE_API_KEY is set."""
import json, os, sys, urllib.request

url = sys.argv[1].rstrip("/")
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
key = os.environ.get("TOLLGATE_API_KEY", "tg_sk_scale_Qm7Vx2Kp9Lr4Tn8Wz3Yb6Hc1Jd5Fg0Se")


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"X-Schematic-Api-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)["data"]


plans = call("GET", "/plans?limit=100")
pro = next(p for p in plans if p["name"] == "Pro")
add_on = next(p for p in plans if p.get("plan_type") == "add_on")
features = {f["id"]: f for f in call("GET", "/features?limit=100")}
draft = next((v for v in call("GET", f"/plans/{pro['id']}/versions") if v["status"] == "draft"), None) \
    or call("POST", f"/plans/{pro['id']}/versions")
for e in call("GET", f"/plan-entitlements?plan_id={pro['id']}&limit=1000"):
    if e["plan_version_id"] == draft["id"] and features[e["feature_id"]].get("feature_type") == "event" and e.get("value_type") == "numeric":
        call("PUT", f"/plan-entitlements/{e['id']}",
             {"value_type": "numeric", "value_numeric": limit, "metric_period": e.get("metric_period") or "current_month",
              "metric_period_month_reset": e.get("metric_period_month_reset") or "first_of_month"})
publish = f"/console/plans/{pro['id']}/versions/{draft['id']}/publish"
published = next(v for v in call("GET", f"/plans/{pro['id']}/versions") if v["status"] == "published")
diff = f"/console/plans/{pro['id']}/versions/diff?from={published['id']}&to={draft['id']}"
print(f"--page {publish} --page {publish}?handler=Impact --page /console/plans/{add_on['id']}/versions --page /console/plans/{pro['id']}/versions --page {diff}")
