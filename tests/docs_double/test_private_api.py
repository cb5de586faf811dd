"""The double's own routes, over HTTP: its status pages need the access token printed at start,
and only the page holding a connection acts for it; the CLI keeps the secret off the command
line."""

import os
import re
import signal
import subprocess
import sys
import time

import requests


def post(double, path, body):
    return requests.post(double.url + path, json=body, timeout=10)


def opened(double, integrator, user):
    config = integrator.config("a.docx", "k-private", user)
    reply = post(double, "/double/session/open", {"config": config}).json()
    return reply["connection"]


def test_the_status_pages_need_the_access_token(double):
    for path in ("/", "/double/status"):
        refused = requests.get(double.url + path, timeout=5)
        assert refused.status_code == 403
        assert "access token" in refused.text
        wrong = requests.get(f"{double.url}{path}?access=guess", timeout=5)
        assert wrong.status_code == 403
        assert requests.get(f"{double.url}{path}?access={double.access_token}", timeout=5).ok
    other = type(double)(port=0)
    assert other.access_token != double.access_token, "random per double"


def test_nobody_acts_for_a_connection_by_a_users_id(double, integrator):
    mine = opened(double, integrator, "u1")
    double.wait_idle()
    for who in ("u1", "", "guess"):
        reply = post(double, "/double/session/k-private/edit", {"connection": who, "text": "x"})
        assert reply.status_code == 403
        assert double.sessions["k-private"].changes == []
    reply = post(double, "/double/session/k-private/edit", {"connection": mine, "text": "Mine"})
    assert reply.json()["ok"] is True


def test_a_session_state_shows_no_other_connections_id(double, integrator):
    first = opened(double, integrator, "u1")
    second = opened(double, integrator, "u2")
    state = requests.get(
        f"{double.url}/double/session/k-private/state?connection={second}", timeout=15
    ).json()
    ids = {c["userId"]: c["id"] for c in state["connections"]}
    assert ids == {"u1": None, "u2": second}
    anonymous = requests.get(f"{double.url}/double/session/k-private/state", timeout=15).json()
    assert all(c["id"] is None for c in anonymous["connections"])
    assert first not in str(anonymous)


def banner(arguments, env):
    process = subprocess.Popen(
        [sys.executable, "-m", "onlyoffice_docs_double", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
    )
    lines = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Stop with Ctrl+C" in line:
                break
        text = "".join(lines)
        url = re.search(r"(http://\S+)/\?access=(\S+)", text)
        status = requests.get(f"{url.group(1)}/double/status?access={url.group(2)}", timeout=5)
        return text, status.json()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stdout.close()


def test_the_cli_reads_the_secret_from_a_file_or_the_environment(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("s" * 40 + "\n")
    text, status = banner(["--secret-file", str(secret_file)], {"JWT_SECRET": ""})
    assert status["jwt"] is True
    assert "s" * 40 not in text
    _text, status = banner([], {"JWT_SECRET": "e" * 40})
    assert status["jwt"] is True
    text, _status = banner(["--host", "0.0.0.0"], {"JWT_SECRET": ""})
    assert "WARNING" in text and "never your ONLYOFFICE Docs' real one" in text


def test_the_help_marks_the_secret_option_for_tests_only():
    result = subprocess.run(
        [sys.executable, "-m", "onlyoffice_docs_double", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--secret-file" in result.stdout
    assert "FOR TESTS ONLY" in " ".join(result.stdout.split())


def test_the_cli_reads_the_access_token_from_a_file_and_can_be_brief(tmp_path):
    """As ``make run`` starts it: the status pages' token kept in a file, a two-line banner
    that still says what the double is."""
    (tmp_path / "access").write_text("a-kept-token\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onlyoffice_docs_double",
            "--port",
            "0",
            "--access-file",
            str(tmp_path / "access"),
            "--brief",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "JWT_SECRET": ""},
    )
    try:
        lines = [process.stdout.readline() for _line in range(3)]
        first, second = lines[-2:]  # after the log line of the start
        assert "NOT ONLYOFFICE Docs" in first
        url = re.search(r"listening on (http://\S+)/ - JWT off", second).group(1)
        assert "control panel" not in first + second
        assert requests.get(f"{url}/double/status?access=a-kept-token", timeout=5).ok
        assert requests.get(f"{url}/double/status?access=other", timeout=5).status_code == 403
        page = requests.get(f"{url}/?access=a-kept-token", timeout=5).text
        assert "/double/status?access=a-kept-token" in page
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stdout.close()
