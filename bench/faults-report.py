#!/usr/bin/env python3
"""bench/faults' report: the per-second timeline of the load, cut into one window per fault,
seconds with errors and time to recovery for each, the chain check, as Markdown, JSON and a
gnuplot script for the PNG timeline.
Usage: faults-report.py LOAD_DIR MARKS_FILE OUT_PREFIX MODE PG_VERSION AGENT_RSS_MIB REFRESH_GRACE"""
import csv
import json
import sys

load_dir, marks_file, prefix, mode, pg_version, agent_rss, grace = sys.argv[1:8]
rows = list(csv.DictReader(open(f"{load_dir}/timeline.csv")))
kinds = ["refresh", "client_credentials", "imds_cached", "imds_cold"]
marks = {}
for line in open(marks_file):
    name, ms = line.split()
    marks[name] = int(ms)
summary = json.load(open(f"{load_dir}/summary.json"))
chains = list(csv.DictReader(open(f"{load_dir}/chains.tsv"), delimiter="\t"))
end_s = len(rows)

# (fault, when it began, when it was over: PostgreSQL back, the instance ready; where its window ends)
faults = [
    ("PostgreSQL restarted (pg_ctl restart -m fast)", "pg_restart_begin", "pg_restart_end", "kill_b"),
    ("instance B killed (SIGKILL); A carries on", "kill_b", "kill_b", "start_b"),
    ("instance B started again", "start_b", "b_ready", "servers_stop"),
    ("both servers stopped, then started (agent alone)", "servers_stop", "servers_ready", "end"),
]


def errors(second, kind):
    return int(rows[second][f"{kind}_err"]) if second < end_s else 0


def oks(second, kind):
    return int(rows[second][f"{kind}_ok"]) if second < end_s else 0


windows = []
for title, begin, done, until in faults:
    b = marks[begin] // 1000
    # Up to the second the next fault began in (that second is the next fault's), or the end of the load.
    e = end_s if until == "end" else min(marks[until] // 1000, end_s)
    per_kind = {k: sum(errors(s, k) for s in range(b, e)) for k in kinds}
    # Towards the servers: refresh, client_credentials, and the agent's cold requests.
    bad = [s for s in range(b, e) if any(errors(s, k) for k in ("refresh", "client_credentials", "imds_cold"))]
    after_ms = (bad[-1] + 1) * 1000 - marks[done] if bad else 0
    windows.append({
        "fault": title, "at_s": round(marks[begin] / 1000, 1), "outage_s": round((marks[done] - marks[begin]) / 1000, 1),
        "errors": per_kind, "seconds_with_errors": len(bad),
        "errors_after_it_ended_s": round(max(after_ms, 0) / 1000, 1),
    })

totals = {k: {"ok": sum(oks(s, k) for s in range(end_s)), "errors": sum(errors(s, k) for s in range(end_s))} for k in kinds}
quiet = [s for s in range(0, marks["pg_restart_begin"] // 1000)]
rate = {k: round(sum(oks(s, k) for s in quiet) / max(len(quiet), 1)) for k in kinds}

md = [f"# Faults under load ({mode} run, {prefix.rsplit('/', 1)[-1].replace('-faults', '')})", "",
      f"Two Jeton instances on one PostgreSQL {pg_version} (Debian, defaults), a node agent with both servers, "
      f"{summary['chains']} refresh chains, client_credentials and IMDS (cached, and one worker with bypass_cache) "
      f"through the agent, refresh-grace {grace}, for {end_s} s. Before the first fault: refresh {rate['refresh']}/s, client_credentials "
      f"{rate['client_credentials']}/s, IMDS cached {rate['imds_cached']}/s (a failover client in Java, not wrk: "
      "the figures measure faults, not speed).", "",
      "| fault | at s | outage s | refresh errors | client_credentials errors | IMDS cached errors | IMDS cold errors | seconds with errors | errors after it ended, s |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for w in windows:
    e = w["errors"]
    md.append(f"| {w['fault']} | {w['at_s']} | {w['outage_s']} | {e['refresh']} | {e['client_credentials']} | {e['imds_cached']} | "
              f"{e['imds_cold']} | {w['seconds_with_errors']} | {w['errors_after_it_ended_s']} |")
md += ["", "Errors count requests (a failing client retries every 50-100 ms, so an outage's count is attempts, not users). "
       "The outage lasts from the fault to PostgreSQL answering again, or the instance(s) answering ready; "
       "\"errors after it ended\" is how long after that the last second with an error towards the servers ended "
       "(up to 1 s is the same second). Windows run from one fault to the next.", "",
       f"Chains: {summary['intact']} of {summary['chains']} intact after the run; for {summary['exactly_once']} of them the family's "
       f"generation in PostgreSQL equals the rotations the chain was answered (nothing lost, nothing doubled); "
       f"{summary['replay_refused']} refused their replaced token afterwards (no token accepted twice); "
       f"{summary['ended_after_no_answer']} ended by reuse detection after a request that got no answer (killed mid-request: "
       f"the rotation committed, its answer died with the process; refresh-grace {grace} "
       f"{'counts the retry as reuse' if grace in ('0', '0s') else 'did not cover the retry'}); "
       f"{summary['broken_otherwise']} broken otherwise. {summary['rotations']} rotations in all.", "",
       f"Node agent peak RSS: {agent_rss} MiB.", ""]
broken = [c for c in chains if c["status"] != "intact"]
if broken:
    md += ["| chain | rotations answered | generation in PostgreSQL | what happened |", "|---:|---:|---:|---|"]
    md += [f"| {c['chain']} | {c['rotations']} | {c['generation']} | {c['status']} |" for c in broken]
    md.append("")
md.append(f"![timeline]({prefix.rsplit('/', 1)[-1]}.png)")
open(f"{prefix}.md", "w").write("\n".join(md) + "\n")
json.dump({"mode": mode, "postgres": pg_version, "seconds": end_s, "rate_before_faults": rate, "totals": totals,
           "faults": windows, "chains": summary, "refresh_grace": grace, "agent_rss_mib": int(agent_rss or 0)}, open(f"{prefix}.json", "w"), indent=1)

data = f"{prefix}.dat"
with open(data, "w") as out:
    for r in rows:
        out.write(" ".join([r["second"]] + [r[f"{k}_{x}"] for k in kinds for x in ("ok", "err")]) + "\n")
lines = "\n".join(f"set arrow from {marks[m] / 1000},graph 0 to {marks[m] / 1000},graph 1 nohead dt 2 lc rgb 'gray40'"
                  for m in ("pg_restart_begin", "kill_b", "start_b", "servers_stop", "servers_start"))
labels = "\n".join(f"set label '{t}' at {marks[m] / 1000 + 0.3},graph 0.95 font ',8'" for t, m in
                   (("PG restart", "pg_restart_begin"), ("kill -9 B", "kill_b"), ("B back", "start_b"),
                    ("servers stop", "servers_stop"), ("servers back", "servers_start")))
open(f"{prefix}.gp", "w").write(f"""set terminal pngcairo size 1100,700 noenhanced
set output '{prefix}.png'
set multiplot layout 2,1 title 'Jeton under faults: two instances on PostgreSQL, node agent ({mode} run)'
set xrange [0:{end_s}]
set grid
set key outside right
{lines}
{labels}
set ylabel 'answers/s (log)'
set logscale y
plot '{data}' using 1:($2+0.1) with lines lw 2 title 'refresh ok', \\
     '' using 1:($4+0.1) with lines lw 2 title 'client_credentials ok', \\
     '' using 1:($6+0.1) with lines lw 2 title 'IMDS cached ok', \\
     '' using 1:($8+0.1) with lines lw 2 title 'IMDS cold ok'
unset logscale y
unset label
set ylabel 'errors/s'
set xlabel 'seconds'
plot '{data}' using 1:3 with steps lw 2 title 'refresh', \\
     '' using 1:5 with steps lw 2 title 'client_credentials', \\
     '' using 1:7 with steps lw 2 title 'IMDS cached', \\
     '' using 1:9 with steps lw 2 title 'IMDS cold'
unset multiplot
""")
