"""What every scale-out deployment must hold, run on ZEO (test_zeo) and RelStorage
(test_relstorage): editor opened on instance A, Docs' callbacks and downloads to instance B."""

from __future__ import annotations

import json
import threading

import pytest
import requests

from onlyoffice_plone_testing.cluster import ADMIN
from onlyoffice_plone_testing.cluster import EDITOR


def round_trip(cluster, id_, text, opened_on=None):
    config = cluster.config(opened_on or cluster.a, id_)
    key = config["document"]["key"]
    assert config["editorConfig"]["callbackUrl"].startswith(cluster.b.url + "/")
    cluster.double.open(config, EDITOR[0])
    cluster.double.edit(key, EDITOR[0], text)
    cluster.double.close(key, EDITOR[0])
    attempt = cluster.double.wait_for_callback(2, key)
    cluster.double.wait_idle()
    return key, attempt


@pytest.mark.slow
class ClusterChecks:
    def test_round_trip_across_instances_and_keys_are_current_at_once(self, cluster):
        """A save acknowledged by B is what A hands out next: never the old key."""
        cluster.add_file(cluster.a, "trip", "Original")
        for number in range(12):
            key, attempt = round_trip(cluster, "trip", f"Edit {number}")
            assert attempt.success, attempt.error
            fresh = cluster.config(cluster.a, "trip")["document"]["key"]
            assert fresh != key, f"A handed out the saved session's key after save {number}"
        assert "Edit 11" in cluster.text(cluster.a, "trip")
        assert len(cluster.versions(cluster.b, "trip")) >= 12

    def test_duplicate_callbacks_on_both_instances_store_once(self, cluster):
        cluster.add_file(cluster.a, "dup", "Original")
        key, attempt = round_trip(cluster, "dup", "Stored once")
        versions = len(cluster.versions(cluster.a, "dup"))
        path_and_query = attempt.url.split("/Plone", 1)[1]
        for instance in (cluster.a, cluster.b, cluster.a):
            reply = requests.post(
                instance.url + path_and_query,
                data=json.dumps(attempt.body),
                headers=attempt.headers,
                timeout=60,
            )
            assert reply.status_code == 200, reply.text
            assert reply.json() == {"error": 0}
        assert len(cluster.versions(cluster.b, "dup")) == versions
        assert key

    def test_concurrent_saves_on_both_instances_lose_nothing(self, cluster):
        ids = [cluster.add_file(cluster.a, f"many{n}", "Original") for n in range(8)]
        keys = {}
        for n, id_ in enumerate(ids):
            instance = cluster.a if n % 2 else cluster.b
            config = cluster.config(instance, id_)
            key = config["document"]["key"]
            keys[id_] = key
            cluster.double.open(config, EDITOR[0])
            cluster.double.edit(key, EDITOR[0], f"Concurrent {id_}")
        threads = [
            threading.Thread(target=cluster.double.close, args=(key, EDITOR[0]))
            for key in keys.values()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for key in keys.values():
            assert cluster.double.wait_for_callback(2, key).success
        cluster.double.wait_idle()
        for id_ in ids:
            assert f"Concurrent {id_}" in cluster.text(cluster.a, id_)
        assert not cluster.double.forgotten

    def test_a_save_docs_forgot_while_b_was_down_is_recovered_on_a(self, cluster):
        """B, where Docs' callbacks go, is killed: Docs keeps the result; A recovers it."""
        cluster.add_file(cluster.a, "lost", "Original")
        config = cluster.config(cluster.a, "lost")
        key = config["document"]["key"]
        cluster.double.open(config, EDITOR[0])
        cluster.double.edit(key, EDITOR[0], "Saved while B was down")
        cluster.double.wait_idle()
        cluster.b.kill()
        cluster.double.close(key, EDITOR[0])
        cluster.double.wait_for(lambda: key in cluster.double.forgotten, timeout=30)
        auth = cluster.auth(ADMIN)
        listed = requests.get(f"{cluster.a.url}/@onlyoffice-forgotten", headers=auth, timeout=60)
        assert listed.json()["items"][0]["action"] == "new-version", listed.text
        recovered = requests.post(
            f"{cluster.a.url}/@onlyoffice-forgotten", headers=auth, json={"key": key}, timeout=60
        )
        assert recovered.status_code == 200, recovered.text
        assert recovered.json()["items"][0]["stored_in"] == f"{cluster.a.url}/lost"
        assert "Saved while B was down" in cluster.text(cluster.a, "lost")
        assert key not in cluster.double.forgotten
