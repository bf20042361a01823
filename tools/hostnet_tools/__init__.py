"""Developer tooling for the add-on: drive the built command as splunkd does, shape events as Splunk does.

Nothing here ships in the add-on. Modules:

- `hostnet_tools.allowlist`: the kubernetes_hostnet_allowlist macro's decision, restated in Python.
- `hostnet_tools.auditlog`: reads a Kubernetes audit log as the events Splunk would index from it.
- `hostnet_tools.bench`: `make bench`, hostnetcheck against the SDK floor and the parse floor.
- `hostnet_tools.bench_event`: one audit event of `make bench`, sized to its target.
- `hostnet_tools.bench_floors`: the two floors `make bench` compares hostnetcheck with.
- `hostnet_tools.bench_hostile`: `make bench`, the costliest single events known (built by
  `hostnet_tools.bench_hostile_events`) and what each costs.
- `hostnet_tools.bench_inputs`: the SCP v2 frames of generated events `make bench` feeds every contender.
- `hostnet_tools.bench_measure`: one measured `make bench` run, in its own helper process.
- `hostnet_tools.bench_objects`: the object in a `make bench` event, as the client sends it and as stored.
- `hostnet_tools.bench_workload`: realistic audit events for `make bench`, generated from a seed.
- `hostnet_tools.evaluate`: `make evaluate`, the seed's wildcard against hostnetcheck on the labelled sample.
- `hostnet_tools.flatten`: an audit event as Splunk's JSON extraction presents it to a search command.
- `hostnet_tools.replay`: `make run`, replays an audit log through the built hostnetcheck.
- `hostnet_tools.sample_data`: the bundled sample's scenarios (samples/scenarios.jsonl) as steps.
- `hostnet_tools.sample_emulator`: what the API server logs for a scenario step, as an audit Event.
- `hostnet_tools.sample_objects`: the objects of a sample create or update: decoded, defaulted, stored.
- `hostnet_tools.scp`: runs a built search command over SCP v2 (splunkd's chunked protocol), streaming.
- `hostnet_tools.seed_wildcard`: the seed detection's filter, evaluated the way SPL evaluates it.
"""
