#!/usr/bin/env python3
"""The provincial platform, two programs over real HTTP (issue 4).

``ProvinceKillTest``: deliveries survive ``kill -9`` of the server.
``ProvinceLoopTest``: a pushed clue goes to the province, is transferred, and the province's
feedback shows on the case and closes its loop.

Two programs over real HTTP: ``xiezhi sim province`` (the provincial platform's simulator, with
latency and dropped answers switched on) and ``xiezhi serve``.  Clues of a configured category are
pushed by a source; while the relay is delivering them to the simulator the server is killed with
SIGKILL and started again on the same data.  Afterwards every clue must be in the simulator's
effect log exactly once: nothing lost, nothing duplicated (a request whose answer was lost is
checked by query before any resend).

    XIEZHI_BIN=target/debug/xiezhi python3 tests/blackbox/province_kill_test.py -v
"""
import json
import os
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from intake_test import XIEZHI_BIN, Admin, Server, Source, free_port, http_call, make_clue  # noqa: E402

APP_KEY = "qa-province"
SECRET = uuid.uuid4().hex
N = 80


def start_sim(port, *extra):
    """``xiezhi sim province`` on ``port``; returns (process, log file)."""
    log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"sim-{port}.log"), "wb")
    proc = subprocess.Popen(
        [XIEZHI_BIN, "sim", "province", "--listen", f"127.0.0.1:{port}", "--app-key", APP_KEY,
         "--app-secret", SECRET, *extra],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if http_call(port, "GET", "/_sim/effects", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.1)
    return proc, log


def enable_province(server, sim_port):
    r = Admin(server, "sysadmin").call("PUT", "/api/integration/systems/province", {
        "enabled": True, "endpoint": f"http://127.0.0.1:{sim_port}", "app_key": APP_KEY,
        "secret": SECRET, "timeout_ms": 1500, "max_attempts": 100, "schedule_minutes": 0,
        "options": {"categories": ["E05"], "scheme1_for_enterprise": True, "scheme3_for_person": True}})
    assert r.status == 200, r


class WithSimulator(unittest.TestCase):
    """A test with ``self.server`` and the simulator process ``self.sim``, both stopped afterwards."""

    def tearDown(self):
        self.server.stop()
        self.server.remove()
        self.sim.terminate()
        self.sim.wait(timeout=15)
        self.sim_log.close()


class ProvinceKillTest(WithSimulator):
    def setUp(self):
        self.sim_port = free_port()
        self.sim, self.sim_log = start_sim(self.sim_port, "--review-ms", "3600000", "--dispose-ms", "3600000")
        # Short leases and backoffs, so the test does not wait minutes for a crashed lease.
        os.environ["XIEZHI__RELAY__LEASE_MS"] = "3000"
        os.environ["XIEZHI__RELAY__BASE_BACKOFF_MS"] = "200"
        os.environ["XIEZHI__RELAY__MAX_BACKOFF_MS"] = "2000"
        os.environ["XIEZHI__RELAY__CONCURRENCY"] = "8"
        self.server = Server()
        self.server.seed()
        self.server.start()

    def effects(self):
        return http_call(self.sim_port, "GET", "/_sim/effects").json

    def test_kill_9_mid_delivery_loses_nothing_and_duplicates_nothing(self):
        enable_province(self.server, self.sim_port)
        # Slow answers, and some answers dropped after the simulator committed the push.
        r = http_call(self.sim_port, "PUT", "/_sim/faults", json.dumps(
            {"latency_ms": 120, "drop_after_commit_rate": 0.25, "reset_rate": 0.05}),
            {"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r)
        app_key, secret, _, _ = Admin(self.server, "dispatcher").create_source("省平台对接测试来源")
        src = Source(self.server.port, app_key, secret)
        cases = []
        for i in range(N):
            r = src.push(make_clue(f"PK-{uuid.uuid4().hex[:10]}", category_code="E0502"))
            self.assertIn(r.status, (200, 201), r)
            cases.append(r.json["case_no"])
        # Kill while the relay is half way.
        deadline = time.time() + 60
        while len(self.effects()) < N // 3:
            self.assertLess(time.time(), deadline, "the relay delivered nothing")
            time.sleep(0.02)
        self.server.kill9()
        at_kill = len(self.effects())
        self.server.start()
        admin = Admin(self.server, "sysadmin")
        deadline = time.time() + 120
        while True:
            r = admin.call("GET", "/api/integration/deliveries?channel=province&status=pending&page_size=1")
            self.assertEqual(r.status, 200, r)
            if r.json["total"] == 0:
                break
            self.assertLess(time.time(), deadline, f"{r.json['total']} deliveries still pending")
            time.sleep(0.25)
        r = admin.call("GET", "/api/integration/deliveries?channel=province&status=delivered&page_size=200")
        delivered = r.json["total"]
        effects = self.effects()
        pushes = [e for e in effects if e["kind"] != "release"]
        ids = [e["clueId"] for e in pushes]
        expected = {f"LSXZ-{c}" for c in cases}
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        missing = sorted(expected - set(ids))
        print(f"\n[province kill -9] clues={N} effects at kill={at_kill} after={len(pushes)} "
              f"delivered={delivered} duplicates={len(dupes)} missing={len(missing)}", file=sys.stderr)
        self.assertFalse(dupes, f"pushed twice: {dupes[:5]}")
        self.assertFalse(missing, f"never delivered: {missing[:5]}")
        self.assertEqual(delivered, N)


class ProvinceLoopTest(WithSimulator):
    """Both programs running: our server, and the simulator reviewing, transferring and disposing
    within a second each, pushing its feedback to our F83 endpoint."""

    def setUp(self):
        self.server = Server()
        self.server.seed()
        self.server.start()
        self.sim_port = free_port()
        feedback = f"http://127.0.0.1:{self.server.port}/api/integration/province/feedback"
        self.sim, self.sim_log = start_sim(self.sim_port, "--review-ms", "800", "--dispose-ms", "800",
                                           "--feedback-url", feedback)

    def case(self, who, case_no):
        page = who.call("GET", f"/api/clue/cases?q={case_no}").json
        self.assertEqual(len(page["items"]), 1, page)
        r = who.call("GET", f"/api/clue/cases/{page['items'][0]['id']}")
        self.assertEqual(r.status, 200, r)
        return r.json

    def act(self, who, d, action):
        r = who.call("POST", f"/api/clue/cases/{d['case']['id']}/actions", {"action": action})
        self.assertEqual(r.status, 200, f"{action}: {r!r}")

    def test_pushed_clue_is_transferred_and_the_feedback_closes_the_loop(self):
        enable_province(self.server, self.sim_port)
        app_key, secret, _, _ = Admin(self.server, "dispatcher").create_source("省平台闭环测试来源")
        src = Source(self.server.port, app_key, secret)
        clue = make_clue(f"PL-{uuid.uuid4().hex[:10]}", category_code="E0502",
                         description="丽阳街有商户占道经营堆放货物，影响行人通行",
                         location={"longitude": 119.9276, "latitude": 28.4515, "coord_system": "wgs84"})
        r = src.push(clue)
        self.assertEqual(r.status, 201, r)
        case_no = r.json["case_no"]
        dispatcher = Admin(self.server, "dispatcher")
        d = self.case(dispatcher, case_no)
        self.assertEqual(d["case"]["activity"], "province", d["case"])
        case_id = d["case"]["id"]
        # The relay delivers, the simulator reviews, transfers and disposes, feeding back each step.
        deadline = time.time() + 60
        while True:
            st = dispatcher.call("GET", f"/api/integration/province/cases/{case_id}").json
            if st and st.get("status") == "disposed":
                break
            self.assertLess(time.time(), deadline, f"no disposal feedback: {st}")
            time.sleep(0.25)
        self.assertTrue(st["transferred_to"], st)
        self.assertTrue(st["result"], st)
        effects = [e for e in http_call(self.sim_port, "GET", "/_sim/effects").json if e["kind"] != "release"]
        self.assertEqual([e["clueId"] for e in effects], [f"LSXZ-{case_no}"])
        # Verification falls to the township's own team (紫金街道综合行政执法队), in its inbox.
        township = Admin(self.server, "township")
        todo = township.call("GET", "/api/clue/inbox?box=todo&page_size=100").json["items"]
        self.assertIn(case_no, [i["case_no"] for i in todo])
        r = township.call("GET", f"/api/clue/cases/{case_id}")
        self.assertEqual(r.status, 200, r)
        d = r.json
        self.assertEqual(d["case"]["activity"], "verify", "the feedback advanced the workflow")
        names = [e["action_name"] for e in d["events"]]
        for n in ["推送省平台", "省平台转交", "省平台反馈处置结果"]:
            self.assertIn(n, names)
        self.act(township, d, "pass")
        self.act(dispatcher, self.case(dispatcher, case_no), "close")
        d = self.case(dispatcher, case_no)
        self.assertEqual(d["case"]["status"], "closed", d["case"])
        # The source sees the same: closed.
        r = src.status(clue["source_clue_id"])
        self.assertEqual(r.json["status"], "closed", r)
        print(f"\n[province loop] {case_no}: pushed, transferred to {st['transferred_to']}, disposed, "
              f"verified and closed", file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
