"""Names of the add-on's Splunk objects, as ES, the docs and admins refer to them."""

APP_ID = "TA-kubernetes-hostnet"
APP_LABEL = "Kubernetes Host Network Detection"
RULE_NAME = f"{APP_LABEL} - Kubernetes Pod With Host Network Attachment - Rule"
LOOKUP_FILE = "kubernetes_hostnet_known_infrastructure.csv"
LOOKUP_NAME = "kubernetes_hostnet_known_infrastructure_lookup"
