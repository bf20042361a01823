"""Developer tooling for the add-on: drive the built command as splunkd does, shape events as Splunk does.

Nothing here ships in the add-on. Modules:

- `hostnet_tools.scp`: runs a built search command over SCP v2 (splunkd's chunked protocol), streaming.
- `hostnet_tools.flatten`: an audit event as Splunk's JSON extraction presents it to a search command.
"""
