"""The model of Splunk's default segmentation that the candidate-selection tests rely on."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools.indexterms import MAJOR, index_terms, major_segments, selects, term_groups


def test_the_specs_ip_example_gives_the_address_and_its_parts():
    # segmenters.conf: with INTERMEDIATE_MAJORS = false an address is indexed whole and as a, b, c, d.
    assert index_terms("src=192.0.2.223") == {"src=192.0.2.223", "src", "192", "0", "2", "223"}


def test_each_shape_of_a_pod_create_yields_the_resource_and_verb():
    shapes = {
        "request_uri": '"requestURI":"/api/v1/namespaces/shop/pods?fieldManager=kubectl-create"',
        "method_name": '"methodName":"io.k8s.core.v1.pods.create"',
        "resource_name": '"resourceName":"core/v1/namespaces/shop/pods/web-0"',
        "escaped_json": '"log":"{\\"verb\\":\\"create\\",\\"objectRef\\":{\\"resource\\":\\"pods\\"}}"',
    }
    for name, raw in shapes.items():
        assert "pods" in index_terms(raw), name
    for name in ("method_name", "escaped_json"):
        assert "create" in index_terms(shapes[name]), name
    # A verb inside a longer word is not the verb: kubectl-create breaks at '-', but "recreate" stays whole.
    assert "create" not in index_terms('"name":"recreate"')


def test_url_encoded_majors_are_single_breakers_in_any_case():
    assert major_segments("a%2526b%20c%2bd") == ["a", "b", "c", "d"]
    assert major_segments("x--y") == ["x", "y"]


def test_terms_are_lower_case():
    assert index_terms("Pods CREATE") == {"pods", "create"}


def test_term_groups_reads_or_groups_and_refuses_what_it_cannot_model():
    assert term_groups("source=x (pods OR jobs) (create)") == [{"pods", "jobs"}, {"create"}]
    for bad in ("(pod* OR jobs)", "(a AND b)", "(verb=create)", "(a OR)", "()"):
        with pytest.raises(ValueError):
            term_groups(bad)


def test_selects_needs_a_term_of_every_group():
    groups = term_groups("(pods OR jobs) (create OR patch)")
    assert selects(groups, "/api/v1/pods create")
    assert not selects(groups, "/api/v1/pods get")
    assert not selects(groups, "/apis/apps/v1/deployments create")


_TEXT = st.text(st.sampled_from(list("aZ09 /.:=-_\\\"{}[],%2BD&?*'\t")), max_size=40)


@given(_TEXT)
def test_every_term_is_in_the_text_and_has_no_major_breaker(raw):
    for term in index_terms(raw):
        assert term and term in raw.lower()
        assert not any(breaker.lower() in term for breaker in MAJOR if len(breaker) == 1)


@given(_TEXT, _TEXT, st.sampled_from([" ", '"', "/", ".", "\\", ":", "=", "_", "%20"]))
def test_a_breaker_free_word_between_breakers_is_always_a_term(left, right, breaker):
    assert "hostnet" in index_terms(left + breaker + "hostnet" + breaker + right)
