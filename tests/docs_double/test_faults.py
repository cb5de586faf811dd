"""Fault injection: what tests can make the double do wrong on purpose."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET


def _save(double, integrator, key="k1", name="a.docx"):
    double.open(integrator.config(name, key))
    double.edit(key, "u1")
    double.close(key, "u1")


def test_dropped_callbacks_never_reach_the_integrator(double, integrator):
    double.faults.drop_callbacks = True
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    assert integrator.callbacks() == []
    assert [a.dropped for a in double.callbacks_sent] == [True, True]


def test_dropping_one_status_only(double, integrator):
    double.faults.drop_statuses = {1}
    _save(double, integrator)
    double.wait_for(lambda: double.sessions["k1"].state == "saved")
    assert [r.json["status"] for r in integrator.callbacks()] == [2]


def test_callbacks_can_be_delayed(double, integrator):
    double.faults.callback_delay = 0.3
    started = time.time()
    double.open(integrator.config("a.docx", "k1"))
    received = double.wait_for(lambda: integrator.callbacks())
    assert received[0].time - started >= 0.3


def test_tokens_signed_with_a_wrong_secret_do_not_verify(double, integrator):
    double.faults.sign_with_wrong_secret = True
    double.open(integrator.config("a.docx", "k1"))
    received = double.wait_for(lambda: integrator.callbacks())[0]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(received.json["token"], SECRET, algorithms=["HS256"])
    header_token = received.headers["Authorization"].split(" ", 1)[1]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(header_token, SECRET, algorithms=["HS256"])
    download_token = integrator.downloads("a.docx")[0].headers["Authorization"].split(" ", 1)[1]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(download_token, SECRET, algorithms=["HS256"])


def test_expired_tokens(double, integrator):
    double.faults.expired_tokens = True
    double.open(integrator.config("a.docx", "k1"))
    received = double.wait_for(lambda: integrator.callbacks())[0]
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(received.json["token"], SECRET, algorithms=["HS256"])


def test_tokens_can_be_left_out(double, integrator):
    double.faults.omit_tokens = True
    double.open(integrator.config("a.docx", "k1"))
    received = double.wait_for(lambda: integrator.callbacks())[0]
    assert "token" not in received.json
    assert "Authorization" not in received.headers
    assert "Authorization" not in integrator.downloads("a.docx")[0].headers


def test_callbacks_can_be_sent_to_another_host(double, integrator_factory):
    home, elsewhere = integrator_factory(), integrator_factory()
    double.faults.callback_url_override = elsewhere.callback_url
    double.open(home.config("a.docx", "k1"))
    double.wait_for(lambda: elsewhere.callbacks())
    assert home.callbacks() == []


def test_save_error_reports_status_3_with_the_last_good_state(double, integrator):
    double.faults.save_error = True
    _save(double, integrator)
    body = double.wait_for_callback(3).body
    assert requests.get(body["url"], timeout=5).status_code == 200
    assert 2 not in double.callbacks_sent.statuses()


def test_forcesave_error_reports_status_7(double, integrator):
    double.faults.forcesave_error = True
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.forcesave("k1", "u1")
    assert double.wait_for_callback(7).body["forcesavetype"] == 1


def test_oversize_and_corrupt_results(double, integrator):
    _save(double, integrator)
    url = double.wait_for_callback(2).body["url"]
    good = requests.get(url, timeout=5).content
    assert good.startswith(b"PK")
    double.faults.result_oversize_bytes = 5000
    assert len(requests.get(url, timeout=5).content) == 5000
    double.faults.result_oversize_bytes = None
    double.faults.corrupt_result = True
    assert not requests.get(url, timeout=5).content.startswith(b"PK")


@pytest.mark.parametrize(
    ("endpoint", "method", "path"),
    [
        ("healthcheck", "get", "/healthcheck"),
        ("api.js", "get", "/web-apps/apps/api/documents/api.js"),
        ("converter", "post", "/converter"),
        ("command", "post", "/command"),
    ],
)
def test_endpoints_can_answer_5xx(double, endpoint, method, path):
    double.faults.endpoint_status[endpoint] = 503
    assert getattr(requests, method)(double.url + path, timeout=5).status_code == 503


def test_healthcheck_can_report_unhealthy(double):
    double.faults.unhealthy = True
    response = requests.get(double.url + "/healthcheck", timeout=5)
    assert (response.status_code, response.text) == (200, "false")


def test_reset_clears_faults_and_state(double, integrator):
    double.faults.drop_callbacks = True
    double.faults.endpoint_status["command"] = 500
    _save(double, integrator)
    double.wait_for(lambda: double.forgotten)
    double.reset()
    assert not double.faults.drop_callbacks
    assert double.faults.endpoint_status == {}
    assert (double.sessions, double.forgotten, len(double.callbacks_sent)) == ({}, {}, 0)
