"""The agent's rules, without an engine: `python3 -m unittest discover -s src/target-agent`.
The agent against a real engine is tested from test/target-agent/*.test.ts."""
import unittest

import agent as a

POLICY = dict(a.DEFAULT_POLICY)


class Rules(unittest.TestCase):
    def test_parse_time_reads_nanoseconds_and_offsets(self):
        self.assertAlmostEqual(a.parse_time('2026-12-02T05:26:41.294926123Z'), 1796189201.294926, places=5)
        self.assertEqual(a.parse_time('2026-12-02T06:26:41+01:00'), a.parse_time('2026-12-02T05:26:41Z'))
        self.assertIsNone(a.parse_time('0001-01-01T00:00:00Z'))
        self.assertIsNone(a.parse_time(''))

    def test_a_busy_kernel_is_activity_now_and_terminals_count(self):
        status = {'last_activity': '2026-12-02T05:00:00Z'}
        now = a.parse_time('2026-12-02T06:00:00Z')
        self.assertEqual(a.last_activity(status, [{'execution_state': 'busy'}], [], 0, now), now)
        term = [{'name': '1', 'last_activity': '2026-12-02T05:30:00Z'}]
        self.assertEqual(a.last_activity(status, [{'execution_state': 'idle'}], term, 0, now), a.parse_time('2026-12-02T05:30:00Z'))
        started = a.parse_time('2026-12-02T05:45:00Z')
        self.assertEqual(a.last_activity(status, [], [], started, now), started)

    def test_a_container_using_a_quarter_core_or_more_is_working(self):
        self.assertTrue(a.cpu_busy((100.0, 0), (110.0, 5 * 10**9)))        # half a core
        self.assertTrue(a.cpu_busy((100.0, 0), (110.0, int(2.5 * 10**9))))  # a quarter
        self.assertFalse(a.cpu_busy((100.0, 0), (110.0, 10**8)))           # 1%: Jupyter answering polls
        self.assertFalse(a.cpu_busy(None, (110.0, 5 * 10**9)))             # the first sample says nothing
        self.assertFalse(a.cpu_busy((110.0, 0), (110.0, 10**9)))           # no time between
        self.assertFalse(a.cpu_busy((100.0, 5 * 10**9), (110.0, 0)))       # a restarted container's counter

    def test_lease_expiry_is_the_latest_record(self):
        base = {'created': 1000, 'labels': {a.L_SECONDS: '60'}}
        ext = {'created': 1050, 'labels': {a.L_SECONDS: '120', a.L_EXTENDS: '1'}}
        self.assertEqual(a.lease_expiry([base], POLICY), 1060)
        self.assertEqual(a.lease_expiry([base, ext], POLICY), 1170)
        legacy = {'created': 1000, 'labels': {}}
        self.assertEqual(a.lease_expiry([legacy], POLICY), 1000 + POLICY['lease-seconds'])

    def test_idle_rule_takes_the_stricter_of_session_and_host(self):
        self.assertEqual(a.effective_idle_seconds(0, POLICY), 0)
        self.assertEqual(a.effective_idle_seconds(1, POLICY), 60)
        self.assertEqual(a.effective_idle_seconds(30, dict(POLICY, **{'idle-seconds': 600})), 600)
        self.assertEqual(a.effective_idle_seconds(0, dict(POLICY, **{'idle-seconds': 600})), 600)

    def test_device_ids_reads_gpu_requests_only(self):
        hc = {'DeviceRequests': [{'Driver': 'nvidia', 'DeviceIDs': ['GPU-1', '2'], 'Capabilities': [['gpu']]},
                                 {'Driver': 'other', 'Count': 1, 'Capabilities': [['fpga']]}]}
        self.assertEqual(a.device_ids(hc), ['GPU-1', '2'])
        self.assertEqual(a.device_ids({'DeviceRequests': [{'Driver': '', 'Count': -1, 'Capabilities': [['gpu']]}]}), ['all'])
        self.assertEqual(a.device_ids({}), [])

    def test_the_queue_never_lets_a_small_request_overtake(self):
        q = [dict(owner='ana', count=2, ids=[]), dict(owner='ben', count=1, ids=[])]
        self.assertEqual(a.grantable(q, ['g1'], {}, POLICY), [])
        grants = a.grantable(q, ['g1', 'g2', 'g3'], {}, POLICY)
        self.assertEqual([(e['owner'], cards) for e, cards in grants], [('ana', ['g1', 'g2']), ('ben', ['g3'])])

    def test_an_entry_over_its_owners_quota_waits_without_blocking_others(self):
        q = [dict(owner='ana', count=1, ids=[]), dict(owner='ben', count=1, ids=[])]
        grants = a.grantable(q, ['g1'], {'ana': 2}, dict(POLICY, **{'max-gpus-per-user': 2}))
        self.assertEqual([(e['owner'], cards) for e, cards in grants], [('ben', ['g1'])])

    def test_nvidia_smi_rows(self):
        gpus = a.parse_smi_gpus('0, GPU-a, 87, 5120, 81920, NVIDIA A100-SXM4-80GB\nwarning\n')
        self.assertEqual(gpus, [{'index': 0, 'uuid': 'GPU-a', 'util': 87, 'used': 5120, 'total': 81920, 'name': 'NVIDIA A100-SXM4-80GB'}])
        self.assertEqual(a.parse_smi_apps('GPU-a, 1234, 5120\n'), [{'gpu': 'GPU-a', 'pid': 1234}])

    def test_warnings_come_a_quarter_of_the_rule_ahead_within_bounds(self):
        self.assertEqual(a.warn_lead(60), 15)
        self.assertEqual(a.warn_lead(8 * 3600), 300)
        self.assertEqual(a.warn_lead(4), 5)


if __name__ == '__main__':
    unittest.main()
