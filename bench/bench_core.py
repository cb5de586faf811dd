"""The Rust core against PyJWT + json (what the pure-Python add-on uses), called from Python."""

import json
import platform
import statistics
import time
import timeit

import jwt

from onlyoffice_plone import _core

SECRET = "bench-secret-" + "0123456789abcdef" * 4
ORIGIN = "https://plone.example.com/Plone/folder/quarterly-report-2025"


def editor_kwargs():
    """A realistic editor config: about 1.5 KB of JSON."""
    return {
        "key": "6f1c2e9d0b7a4c8e9f3d2a1b0c9d8e7f.Xq3vU9kP0aZr7mN2bLc5dE8fG1hJ4kL6mN8pQ0rS2tU",
        "url": f"{ORIGIN}/@@onlyoffice-file?token=eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOiI2ZjFjIn0.abc",
        "title": "Quarterly report 2025 (final draft).docx",
        "file_type": "docx",
        "callback_url": f"{ORIGIN}/@@onlyoffice-callback?token=eyJhbGciOiJIUzI1NiJ9.e30.sig",
        "mode": "edit",
        "lang": "en",
        "region": "en-US",
        "user_id": "ann.example",
        "user_name": "Ann Example",
        "user_group": "Editors",
        "user_image": "https://plone.example.com/Plone/portal_memberdata/portraits/ann.example",
        "permissions": {"download": True, "print": True, "chat": False},
        "customization": {
            "autosave": True,
            "forcesave": True,
            "comments": True,
            "compactHeader": False,
            "help": True,
            "hideRightMenu": True,
            "uiTheme": "theme-light",
            "zoom": 100,
            "goback": {"url": ORIGIN, "text": "Back to the folder", "blank": False},
            "close": {"visible": True, "text": "Close"},
            "review": {"trackChanges": False, "reviewDisplay": "original"},
        },
        "co_editing_mode": "fast",
        "co_editing_change": True,
        "info": {"owner": "Ann Example", "uploaded": "2025-05-01T10:00:00", "folder": "Reports"},
        "reference_data": {"fileKey": "6f1c2e9d0b7a4c8e9f3d2a1b0c9d8e7f", "instanceId": ORIGIN},
    }


def python_config(kw):
    """The same config built the pure-Python way: a dict, jwt.encode, json.dumps."""
    perms = {
        "chat": False,
        "comment": True,
        "copy": True,
        "deleteCommentAuthorOnly": False,
        "download": True,
        "edit": True,
        "editCommentAuthorOnly": False,
        "fillForms": True,
        "modifyContentControl": True,
        "modifyFilter": True,
        "print": True,
        "protect": True,
        "review": True,
    }
    config = {
        "document": {
            "fileType": kw["file_type"],
            "key": kw["key"],
            "title": kw["title"],
            "url": kw["url"],
            "permissions": perms,
            "info": kw["info"],
            "referenceData": kw["reference_data"],
        },
        "documentType": "word",
        "editorConfig": {
            "callbackUrl": kw["callback_url"],
            "mode": kw["mode"],
            "lang": kw["lang"],
            "region": kw["region"],
            "user": {
                "id": kw["user_id"],
                "name": kw["user_name"],
                "group": kw["user_group"],
                "image": kw["user_image"],
            },
            "coEditing": {"mode": kw["co_editing_mode"], "change": kw["co_editing_change"]},
            "customization": kw["customization"],
        },
        "type": "desktop",
    }
    config["token"] = jwt.encode({**config, "iat": int(time.time())}, SECRET, algorithm="HS256")
    text = json.dumps(config)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


ROUNDS = 31
SAMPLE_SECONDS = 0.01


def calibrate(fn):
    """Calls per sample: about SAMPLE_SECONDS of work, after a warm-up. Timed in CPU time of
    this process (time.process_time), so time spent waiting while other processes run on a
    loaded machine is not counted."""
    timer = timeit.Timer(fn, timer=time.process_time)
    timer.timeit(200)  # warm-up: caches, allocator, prepared keys
    number, took = timer.autorange()
    return timer, max(1, int(number * SAMPLE_SECONDS / took))


def paired_rounds(python_fn, core_fn, rounds=ROUNDS):
    """Per-call µs of each side in `rounds` rounds, the two taking turns going first so that load
    from other processes falls on both alike. Returns the medians and the median of the per-round
    ratios (Python / core), and the best round of the core."""
    (py_timer, py_n), (core_timer, core_n) = calibrate(python_fn), calibrate(core_fn)
    py_times, core_times, ratios = [], [], []
    for i in range(rounds):
        order = [(py_timer, py_n, py_times), (core_timer, core_n, core_times)]
        for timer, number, times in order if i % 2 == 0 else reversed(order):
            times.append(timer.timeit(number) / number * 1e6)
        ratios.append(py_times[-1] / core_times[-1])
    return {
        "python": statistics.median(py_times),
        "core": statistics.median(core_times),
        "ratio": statistics.median(ratios),
        "core_best": min(core_times),
    }


def row(measure, target, figure, ratio, holds):
    return [measure, target, figure, ratio, "yes" if holds else "NO"]


def tables():
    kw = editor_kwargs()
    config_text = _core.build_editor_config(**kw)
    config = json.loads(config_text)
    core_token = _core.sign_token(config, SECRET)
    pyjwt_token = jwt.encode(config, SECRET, algorithm="HS256")
    # The two implementations read each other's tokens.
    assert _core.verify_token(pyjwt_token, SECRET) == jwt.decode(
        pyjwt_token, SECRET, algorithms=["HS256"]
    )
    assert jwt.decode(core_token, SECRET, algorithms=["HS256"]) == _core.verify_token(
        core_token, SECRET
    )
    signed = json.loads(_core.build_editor_config(**kw, secret=SECRET))
    claims = jwt.decode(signed.pop("token"), SECRET, algorithms=["HS256"])
    assert {k: v for k, v in claims.items() if k != "iat"} == signed

    sign_verify = paired_rounds(
        lambda: jwt.decode(
            jwt.encode(config, SECRET, algorithm="HS256"), SECRET, algorithms=["HS256"]
        ),
        lambda: _core.verify_token(_core.sign_token(config, SECRET), SECRET),
    )
    build = paired_rounds(
        lambda: python_config(kw), lambda: _core.build_editor_config(**kw, secret=SECRET)
    )
    detail = {
        "sign (HS256)": paired_rounds(
            lambda: jwt.encode(config, SECRET, algorithm="HS256"),
            lambda: _core.sign_token(config, SECRET),
        ),
        "verify (HS256)": paired_rounds(
            lambda: jwt.decode(pyjwt_token, SECRET, algorithms=["HS256"]),
            lambda: _core.verify_token(core_token, SECRET),
        ),
        "sign + verify": sign_verify,
        "build config + sign": build,
    }
    where = f"Python {platform.python_version()}, {platform.machine()}, PyJWT {jwt.__version__}"
    targets = (
        f"JWT through the core: targets (CPU time, median of {ROUNDS} alternating rounds; "
        f"{where})",
        ["measure", "target", "figure", "ratio", "holds?"],
        [
            row(
                f"sign + verify of the {len(config_text)}-byte editor config, PyJWT / core",
                ">= 5x",
                f"{sign_verify['python']:.1f} / {sign_verify['core']:.1f} µs",
                f"{sign_verify['ratio']:.2f}x",
                sign_verify["ratio"] >= 5,
            ),
            row(
                "build the editor config and sign it (core)",
                "<= 10 µs",
                f"{build['core']:.1f} µs (best {build['core_best']:.1f})",
                "",
                build["core"] <= 10,
            ),
        ],
    )
    rows = [
        [name, f"{m['python']:.1f}", f"{m['core']:.1f}", f"{m['ratio']:.1f}x"]
        for name, m in detail.items()
    ]
    breakdown = (
        f"Core vs PyJWT + json, per operation (CPU µs per call, medians of {ROUNDS} "
        f"alternating rounds; the speed-up is the median of the rounds' ratios)",
        ["operation", "PyJWT + json", "core", "speed-up"],
        rows,
    )
    return [targets, breakdown]
